"""The word lists the rules and models read are compared with lower-cased single tokens: an entry in capitals or
of two words could never match."""

import geo_news.lexicon as lexicon
import geo_news.roles as roles


def _word_lists(module):
    for name, value in vars(module).items():
        if name.startswith("_") or name.isupper() is False:
            continue
        if isinstance(value, (set, frozenset)) and value and all(isinstance(w, str) for w in value):
            yield name, set(value)
        elif isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
            yield name, set(value)
            if all(isinstance(v, (set, frozenset)) for v in value.values()):  # PREP_CLASSES: class -> words
                yield name, set().union(*value.values())


def test_every_lexicon_word_can_match_a_token():
    lists = [*_word_lists(lexicon), *_word_lists(roles)]
    assert len(lists) >= 20
    wrong = {name: sorted(w for w in words if w != w.lower() or not w or any(c.isspace() for c in w))
             for name, words in lists}
    assert not any(wrong.values()), {k: v for k, v in wrong.items() if v}
