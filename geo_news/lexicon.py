"""The closed-class words geo_news's rules and models read: prepositions by what their object names, and the nouns
that make a name a place's ("the town of X", "X province"). One home for every such list; each keeps the members
its users were measured with (merging two lists of one kind changes what the fitted models see, so they are kept
apart and named for their use).

Nothing here imports anything of geo_news.
"""

from __future__ import annotations

# --- prepositions ------------------------------------------------------------------------------------------------

WORDS_BEFORE_A_PLACE = {"in", "into", "from", "to", "at", "near", "over", "across", "through", "toward", "towards",
                        "via", "of", "outside", "inside", "around", "off", "along", "between", "within", "on", "the",
                        "above", "below", "beyond", "past", "behind", "under", "onto", "upon"}
"""Words right before a name the model tagged as a person that make it more likely a place ("from Kherson", "the
Kherson": the extractor's person-or-place check)."""

PLACE_PREPOSITIONS = {"from", "toward", "towards", "into", "over", "across", "through", "via", "near", "at", "in",
                      "to", "outside", "inside", "off", "above", "onto"}
"""Prepositions whose object, a proper noun, is most often a place ("towards Kramatorsk"): the extractor's and the
recogniser's cue."""

UNPLACED_PLACE_PREPOSITIONS = {"in", "into", "from", "to", "near", "at", "over", "across", "through", "toward",
                               "towards", "outside", "inside", "around", "via", "off"}
"""Prepositions after which a name the gazetteer cannot place is still kept as a place (the pipeline's check)."""

FROM = {"from"}
"""The preposition of a movement's source."""

TRANSIT_PREPS = {"over", "through", "via", "across", "past", "above", "along", "overhead", "throughout"}
"""Prepositions of a movement's path (the role rules' transit)."""

TARGET_PREPS = {"to", "toward", "towards", "into", "for", "onto"}
"""Prepositions of a movement's goal (the role rules' target)."""

LOCATIVE = {"in", "on", "at", "near", "inside", "outside", "within", "of", "around", "by", "off", "behind",
            "beyond"}
"""Prepositions of where something is or happened (the role rules' location and impact)."""

QUALIFYING_PREPS = {"in", "inside", "within"}
"""Prepositions whose phrase right after a name says where that name is ("Dusti in Tajikistan")."""

DIRECTIONAL = FROM | TRANSIT_PREPS | TARGET_PREPS | {"at"}
"""Prepositions that give a movement's direction (source, path, goal, or "at" a target)."""

LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "on", "near", "along", "across", "inside", "outside", "within",
                                   "around", "off", "into", "from", "to", "through", "over", "toward", "towards"})
"""Prepositions whose object is usually somewhere: a noun often found after them names a place or a part of one
("in the north", "along the coast", "on the islands")."""

PREP_CLASSES = {
    "source": {"from", "out", "off"},
    "path": {"over", "through", "via", "across", "past", "above", "along", "overhead", "throughout", "around",
             "by", "under", "beyond"},
    "goal": {"to", "toward", "towards", "into", "for", "onto", "until", "till"},
    "at": {"at"},
    "locative": {"in", "on", "near", "inside", "outside", "within", "of", "behind", "between", "beside",
                 "among", "off", "close", "south", "north", "east", "west"},
}
"""Prepositions by the part of a movement their object usually names (closed-class words, not a lexicon)."""

# --- nouns that make a name a place's ------------------------------------------------------------------------------

WORDS_AFTER_A_PLACE = {
    "city", "town", "village", "province", "governorate", "region", "district", "county", "state", "river", "sea",
    "plain", "valley", "mountains", "mountain", "desert", "strait", "gulf", "lake", "island", "islands", "peninsula",
    "oblast", "countryside", "area", "coast", "border",
    # "an Alexandria man", "Springfield police": a place name used as a modifier of residents
    "man", "woman", "men", "women", "boy", "girl", "teen", "resident", "residents", "police", "officials", "native",
    "couple", "family", "mayor", "schools", "hospital", "airport", "port", "suburb", "suburbs", "outskirts", "metro",
    "downtown",
}
"""Lower-case words right after a name that make it a place's ("Aleppo province", "an Alexandria man"): the
extractor's person-or-place check and the recogniser's cue."""

PLACE_NOUNS = {"town", "city", "village", "port", "district", "province", "region", "suburb", "camp", "governorate",
               "oblast", "settlement", "hamlet", "municipality", "county", "island", "islands", "river", "valley",
               "crossing", "border", "outskirts", "capital", "neighbourhood", "neighborhood", "area", "coast",
               "enclave", "stronghold", "strait", "gulf", "sea", "lake", "mountains", "desert", "plain"}
"""Nouns after which "of X" names a place: "the town of Huliaipole", "the port of Eilat"."""

DESCRIPTION_NOUNS = PLACE_NOUNS | {"community", "seat", "borough", "township", "commune", "locality", "parish",
                                   "place", "resort", "metropolis", "quarter", "country", "nation", "republic",
                                   "kingdom", "state", "emirate", "territory", "archipelago"}
"""Nouns that say what a name is when it is one of them: "Hamilton is a city in Ravalli County", "Bilopillia, a
town in Sumy region", "Milton is an unincorporated community": the recogniser's ``described_as_place`` cue."""

LOCATED_VERBS = {"locate", "situate"}
"""Verbs by which a name is said to lie somewhere ("Wilson is located in Niagara County")."""

DIVISION_NOUNS = {"region", "province", "oblast", "governorate", "state", "department", "prefecture"}
"""Words after a name that make it the first-level division named after a city ("the Donetsk region")."""

FEATURE_CUES = {
    "city": ("P",), "town": ("P",), "village": ("P",), "capital": ("P",),
    "province": ("A",), "governorate": ("A",), "state": ("A",), "oblast": ("A",), "region": ("A", "L"),
    "district": ("A",), "county": ("A",), "prefecture": ("A",),
    "river": ("H",), "sea": ("H",), "gulf": ("H",), "lake": ("H",), "strait": ("H",), "bay": ("H",),
    "plain": ("T",), "valley": ("T",), "mountains": ("T",), "mountain": ("T",), "desert": ("T",),
    "island": ("T",), "islands": ("T",), "peninsula": ("T",), "plateau": ("T",),
    "airport": ("S",), "airfield": ("S",), "airbase": ("S",),
}
"""A word right after a name and the GeoNames feature classes it asks for ("the Orontes river": H): the resolver's
``cue`` feature."""

PLURAL_FEATURE_NOUNS = {
    "counties": "county", "parishes": "parish", "boroughs": "borough", "provinces": "province", "regions": "region",
    "districts": "district", "oblasts": "oblast", "governorates": "governorate", "states": "state",
    "prefectures": "prefecture", "rivers": "river", "islands": "island", "lakes": "lake",
}
"""A plural feature noun after a list of names makes each item one of its kind ("Butler and Warren counties",
"the Kherson and Zaporizhzhia regions", "the Tigris and Euphrates rivers"): the singular it stands for."""


ANOTHER_WORDS = frozenset({"another", "second", "third", "fourth", "fifth", "separate", "other", "further"})
"""Words on a mover's noun that make it a new one ("a second drone", "another missile", "a separate strike"): its
clause tells a movement of its own."""
NEW_MOVEMENT_ADVERBS = frozenset({"separately", "meanwhile", "elsewhere"})
"""Adverbs that open the telling of another movement ("Separately, a drone hit Sumy")."""
