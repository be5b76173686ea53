"""Installing the offline map assets: one npm run however many processes ask at once."""

import os
import stat
import sys
import threading
import time


def _fake_npm(tmp_path):
    """A stand-in for npm that takes a moment, counts its runs and writes every asset file."""
    from geo_news.offline import ASSETS

    runs = tmp_path / "runs"
    files = sorted({rel for rel in ASSETS.values() if rel})
    script = tmp_path / "bin" / "npm"
    script.parent.mkdir()
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, time, pathlib\n"
        f"pathlib.Path({str(runs)!r}).open('a').write('run\\n')\n"
        "time.sleep(0.5)\n"
        "prefix = pathlib.Path(sys.argv[sys.argv.index('--prefix') + 1])\n"
        f"for rel in {files!r}:\n"
        "    path = prefix / 'node_modules' / rel\n"
        "    path.parent.mkdir(parents=True, exist_ok=True)\n"
        "    path.write_text('/* asset */')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script.parent, runs


def test_concurrent_installs_run_npm_once(tmp_path, monkeypatch):
    from geo_news.offline import assets_installed, install_assets

    bin_dir, runs = _fake_npm(tmp_path)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GEO_NEWS_ASSETS_DIR", str(tmp_path / "assets"))
    errors = []

    def install():
        try:
            install_assets()
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=install) for _ in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join(30)
    assert not errors and assets_installed()
    assert runs.read_text().count("run") == 1
    install_assets()  # installed: nothing to do
    assert runs.read_text().count("run") == 1
