"""Render each notebook's main figure to ``docs/notebooks/NN_name.png`` (the pictures next to the README's list).

Usage::

    python scripts/notebook_figures.py [NOTEBOOK.ipynb ...] [-o docs/notebooks]

The figure is the one the notebook itself draws, not a copy of its code: the notebook's code cell tagged
``main-figure`` (its metadata ``main_figure`` names the variable holding the map or chart) is executed with every
cell before it in a fresh kernel, then the figure is written out. Maps (folium) are saved as self-contained
offline HTML and photographed in headless Chromium with every network request blocked (Playwright,
``executable_path="/usr/bin/chromium"`` or ``$CHROMIUM``); charts (matplotlib) are saved with ``savefig``.
A notebook without a tagged cell is skipped with a message, as is a figure its notebook did not draw (05_accuracy
draws its chart only when the evaluation corpora are in ../shared/eval). Needs the `test` extra (nbclient,
Playwright, matplotlib).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# notebooks written before the tag existed: the first code cell containing this text draws the figure
UNTAGGED = {"01_quickstart.ipynb": ("m = geo_news.event_map(", "m")}
SAVE = """
import pathlib as _p
_target, _fig = _p.Path({html!r}), {var}
if _fig is None:
    print("NO FIGURE")
elif hasattr(_fig, "savefig"):
    _fig.savefig({png!r}, dpi=110, bbox_inches="tight")
    print("CHART")
else:
    from geo_news.offline import save_offline
    save_offline(_fig, _target)
    print("MAP")
"""


def figure_cell(nb, name: str) -> tuple[int, str] | None:
    """Index of the cell that draws the main figure, and the variable that holds it."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "main-figure" in cell.metadata.get("tags", []):
            return i, cell.metadata.get("main_figure", "m")
    if name in UNTAGGED:
        text, var = UNTAGGED[name]
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and text in cell.source:
                return i, var
    return None


def render_map(html_path: Path, png_path: Path, *, width: int = 1000, height: int = 620) -> None:
    """Photograph an offline map page in headless Chromium, with the network blocked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                     args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("http*://**", lambda route: route.abort())  # offline: nothing leaves the machine
            page.goto(html_path.resolve().as_uri())
            page.wait_for_selector(".leaflet-container .leaflet-overlay-pane svg, .leaflet-marker-icon",
                                   timeout=20000)
            page.wait_for_timeout(1200)  # let fit-to-bounds, clusters and fades settle
            page.screenshot(path=str(png_path))
        finally:
            browser.close()


def render(path: Path, out_dir: Path) -> Path | None:
    """Execute ``path`` up to its main figure and write the figure as a PNG; None when there is none."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    found = figure_cell(nb, path.name)
    if found is None:
        print(f"{path.name}: no cell tagged main-figure; skipped")
        return None
    index, var = found
    png = out_dir / f"{path.stem}.png"
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "figure.html"
        cells = [c for c in nb.cells[:index] if c.cell_type == "code"]
        # the figure cell runs without displaying its result: a folium map rendered once and then saved with
        # the offline basemap added draws with a script error (see the lead's notes), and nothing here is shown
        cells.append(nbformat.v4.new_code_cell(nb.cells[index].source + "\nNone"))
        probe = nbformat.v4.new_code_cell(SAVE.format(html=str(html), png=str(png),
                                                      var=f"globals().get({var!r})"))
        run = nbformat.v4.new_notebook(cells=[*cells, probe], metadata=nb.metadata)
        client = NotebookClient(run, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        t0 = time.perf_counter()
        client.execute()
        said = "".join(o.get("text", "") for o in run.cells[-1].outputs if o.output_type == "stream")
        if "MAP" in said:
            render_map(html, png)
        elif "CHART" not in said:
            print(f"{path.name}: the notebook drew no figure this time (see its first cell); skipped")
            return None
    print(f"{path.name}: wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png} "
          f"({png.stat().st_size / 1e3:.0f} kB, {time.perf_counter() - t0:.0f} s)")
    return png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "notebooks")
    args = ap.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    for path in args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb")):
        render(path.resolve(), args.output.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
