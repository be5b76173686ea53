"""Recognition and placing on the blind place suites (tests/places/*.yaml), real model and embedded gazetteer.

The batches were written blind — from a brief, by writers who had not read the extractor or the resolver — and
each was run once, unseen, before any change prompted by it. Those **first runs** are the figures that say how
geo_news does on text nobody tuned it on (issue 13's targets: found >= 0.95, placed of found >= 0.95, the
namesake halves >= 0.95 each):

==============================  =====  ========  =====  ===============  ==========  =========
batch (first run, commit)       cases  expected  found  placed of found  end to end  precision
==============================  =====  ========  =====  ===============  ==========  =========
conflict_a (1b66ad6)              160       565  0.657            0.927       0.609      0.979
conflict_b (1b66ad6)              160       556  0.741            0.908       0.673      0.974
namesakes, famous (1b66ad6)       110       153  0.863            0.818       0.706      0.971
namesakes, lesser (1b66ad6)       110       265  0.940            0.944       0.887      1.000
conflict_c (f428347)              160       581  0.857            0.956       0.819      0.992
world_d (f428347)                 160       557  0.869            0.936       0.813      0.996
namesakes_b, famous (f428347)     110       184  0.821            0.801       0.658      0.987
namesakes_b, lesser (f428347)     110       268  0.925            0.819       0.757      0.984
conflict_e (667aa7b)              160       625  0.874            0.929       0.811      1.000
world_f (667aa7b)                 160       590  0.869            0.918       0.798      0.994
namesakes_c, famous (667aa7b)     110       298  0.950            0.975       0.926      0.986
namesakes_c, lesser (667aa7b)     110       328  0.933            0.908       0.848      0.981
world_g (8fbb3da)                 160       637  0.915            0.957       0.876      1.000
namesakes_d, famous (8fbb3da)     110       260  0.915            0.929       0.850      0.975
namesakes_d, lesser (8fbb3da)     110       321  0.931            0.883       0.822      0.980
namesakes_e, famous (0a08b96)      60       139  0.964            0.955       0.921      0.993
namesakes_e, lesser (0a08b96)      40       131  0.962            0.952       0.916      1.000
world_h (b11910b)                 160       519  0.881            0.943       0.830      0.993
namesakes_f, famous (b11910b)      60       177  0.955            0.964       0.921      0.994
namesakes_f, lesser (b11910b)      50       168  0.929            0.955       0.887      0.994
world_i (9241add)                  80       257  0.875            0.969       0.848      0.991
namesakes_g, famous (23f484e+)     50       205  0.932            0.979       0.912      1.000
namesakes_g, lesser (23f484e+)     50       210  0.929            0.918       0.852      1.000
world_j (1870d84)                 100       372  0.866            0.929       0.804      0.997
world_k (5a85695)                 100       405  0.906            0.940       0.852      0.995
conflict_g (5a85695)              100       416  0.892            0.960       0.856      0.976
conflict_h (79642bf)              100       429  0.886            0.953       0.844      0.997
namesakes_m, famous (79642bf)      50       125  0.976            0.943       0.920      0.984
namesakes_m, lesser (79642bf)      50       138  0.971            0.910       0.884      0.993
conflict_i (ee737ce+)             110       282  0.929            0.950       0.883      1.000
namesakes_n, famous (ee737ce+)    100       226  0.991            0.969       0.960      0.996
namesakes_n, lesser (ee737ce+)    100       250  0.964            0.876       0.844      1.000
conflict_j (36b5f00)              110       368  0.929            0.974       0.905      1.000
namesakes_o, famous (36b5f00)      50       140  0.943            0.924       0.871      0.992
namesakes_o, lesser (36b5f00)      50       151  0.960            0.938       0.901      0.986
conflict_k (d882e95)              110       352  0.918            0.944       0.866      1.000
namesakes_p, famous (d882e95)      50       170  0.947            0.932       0.882      0.994
namesakes_p, lesser (d882e95)      50       178  0.961            0.936       0.899      0.983
conflict_l (aca45d1)              110       341  0.935            0.956       0.894      0.997
conflict_m, strikes (aca45d1)      80       246  0.858            0.976       0.837      0.991
conflict_l (aca45d1 + sites)      110       341  0.959            0.957       0.918      0.997
conflict_m, strikes (+ sites)      80       246  0.919            0.987       0.907      0.991
conflict_n (de39760)              100       400  0.940            0.965       0.907      0.992
namesakes_q, famous (de39760)      50       146  0.945            0.935       0.884      1.000
namesakes_q, lesser (de39760)      50       164  0.921            0.967       0.890      0.981
conflict_o (4c2f04c)              100       331  0.918            0.938       0.861      0.984
namesakes_r, famous (4c2f04c)      50       159  0.931            0.980       0.912      0.993
namesakes_r, lesser (4c2f04c)      50       169  0.876            0.885       0.775      0.993
conflict_o (+ desc.)              100       331  0.918            0.938       0.861      0.984
namesakes_r, famous (+ desc.)     50       159  0.931            0.980       0.912      0.993
namesakes_r, lesser (+ desc.)     50       169  0.888            0.880       0.781      0.993
conflict_p (79081db)              100       394  0.937            0.943       0.883      1.000
namesakes_s, famous (79081db)      50       139  0.935            0.946       0.885      0.985
namesakes_s, lesser (79081db)      50       168  0.958            0.894       0.857      0.988
conflict_p (+ contradicted)       100       394  0.937            0.949       0.888      1.000
namesakes_s, famous (+ contr.)     50       139  0.935            0.946       0.885      0.985
namesakes_s, lesser (+ contr.)     50       168  0.958            0.894       0.857      0.988
conflict_q (bdf589e)              100       374  0.955            0.969       0.925      0.994
namesakes_t, famous (bdf589e)      50       150  0.967            0.972       0.940      0.993
namesakes_t, lesser (bdf589e)      50       166  0.958            0.843       0.807      0.994
conflict_q (+ headlines)          100       374  0.960            0.972       0.933      0.994
namesakes_t, famous (+ head.)      50       150  0.967            0.972       0.940      0.993
namesakes_t, lesser (+ head.)      50       166  0.958            0.843       0.807      0.994
conflict_q (780c3da, seen)        100       374  0.963            0.975       0.939      0.994
namesakes_t, famous (seen)         50       150  0.973            0.979       0.953      0.993
namesakes_t, lesser (seen)         50       166  0.964            0.869       0.837      0.994
==============================  =====  ========  =====  ===============  ==========  =========

conflict_q (100 cases, 374 places; ids cfq-; Latin America and the Caribbean, Central, East and Southeast Asia and
the Pacific, then the Middle East and its seas, Libya, Sudan, Somalia, Ukraine's front line) and namesakes_t (50
famous, 50 lesser; ids nst-; European towns with namesakes in North America, Australia, New Zealand and South
Africa, capitals of Asia and Africa with namesakes, Spanish, Portuguese and Arabic names shared across countries)
were written blind and run first on bdf589e, then, still unseen, with the two changes written before they arrived
("+ headlines": a headline word that inflects a common word is a word, "REPELS", "Mourns"; a common word in
capitals is a name only as a salient place's own, "PORT" is not; and a name put in a possessor's area lies in the
area, "in Mozambique's Cabo Delgado province"). conflict_q met both of issue 13's 0.95 on its first run; the
lesser half of namesakes_t (placed 0.843) did not. Its misses, read after the second run, were mostly rivers,
valleys, bays and islands the gazetteer lacks ("Connecticut River", "Coachella Valley", "Penobscot Bay"); the
changes they prompted (``seen``, not blind: such a feature placed at the town it is named after where the story
vouches for it nearby, "named_for"; a name near an area contradicted only by readings far from it; a headline's
name found inside the title the model made of it) lifted the lesser half to 0.869 placed, and an area named by its
side read as the area ("East Texas", ad58217) to 0.875 (famous half 0.986). Both batches then joined the suites,
unfitted on.

conflict_p (100 cases, 394 places; ids cfp-; Europe, Ukraine and Russia, the Balkans, the Caucasus, Turkey and the
Middle East, then Africa and South Asia; bare names, names with their country or a description, lists,
possessives, Title Case and ALL CAPS headlines, datelines, posts) and namesakes_s (50 famous, 50 lesser; ids nss-;
famous European, Middle Eastern, African and Asian cities with namesakes elsewhere, then names shared across US
states, Canadian provinces, Latin America and Australia, some opening with "X is a ...") were written blind and run
first on 79081db, then, still unseen, with the change written before they arrived ("+ contradicted": a reading
outside the administrative area the text names is contradicted whether town or division, its prominence weighed
apart, the named area found past a description's nouns, a river or an unknown township; ranker refitted). Their
misses, read after both runs: natural features the curated data lack (a river, a lake, a bay, a wine valley), names
lost in Title Case and ALL CAPS headlines, "Washington" as the government read as the state, a town put in a
possessor's province ("in Mozambique's Cabo Delgado province") placed at the country, and villages the registry
packages lack. Both batches joined the suites in the next session, unfitted on.

conflict_o (100 cases; ids cfo-; Asia and the Pacific, then Latin America, Africa and the Middle East) and
namesakes_r (50 famous, 50 lesser; ids nsr-; names that are also people's names or English words, names shared
between Britain and its former colonies, across the Spanish- and Portuguese-speaking world, or within one large
country) were written blind from briefs that stress places introduced by a description ("X, a farming town 40 km
south of Y"), names that are also people's names or words, and names at the start of a sentence. They were run
first on 4c2f04c, then, still unseen, on 4c2f04c with the change written before they arrived ("+ desc.": the
recogniser's cue that a sentence says what a name is, "Hamilton is a city in", "X, a town in", refitted; a name the
recogniser takes is taken wherever else the story has it pending): namesakes_r's lesser half found 0.876 -> 0.888,
conflict_o unchanged. After their misses (not blind): a name that speaks is no evidence against itself where the
sentence says it is a place ("Livingstone, the tourist town on Zambia's side of the falls, says"), a description's
place noun may be a compound ("the foothills city west of Denver"), a dash set apart by spaces ends a name ("Exeter,
New Hampshire - Presidential hopefuls"), a name is carried over the story only from a mention the recogniser is
sure of (0.8) or took where a sentence says what it is, and the ranker refitted with ``division_abroad``;
then a place that speaks is never a person ("The U.S. said"), and a dateline keeps its possessive or abbreviation
("COX'S BAZAR,"): namesakes_r 0.918 / 0.940 / 0.863 (famous 0.937 / 0.980 / 0.918, lesser 0.899 / 0.901 / 0.811),
conflict_o 0.921 / 0.938 / 0.864 (its three "Washington" read as the state remained: the refit gave
``division_abroad`` -0.09); the 4,170 older cases 0.941 / 0.949 / 0.893 both before and after. Last, with both
batches in the suites, ``capital_with_capitals`` (a national capital beside another country's capital) and the
ranker refitted on them (in sample for them now): conflict_o 0.921 / 0.944 / 0.870, two of its three "Washington"
right; the 4,170 older cases unchanged.

conflict_n (100 cases in wire and social formats: a quarter headlines, half of them in capitals, datelines, posts
with hashtags, @handles and links, long sentences with attributions; ids cfn-, from Europe, the Middle East, the
Caucasus and Africa, then South, Central, East and Southeast Asia, the Pacific and the Americas) and namesakes_q
(50 famous, 50 lesser; ids nsq-) were written blind from a brief and run first on de39760, the commit before any
change of the session that wrote them; the first changes made (a town holds no city larger than itself, "airbase"
read as "air base", a headline clause the model took for one title read name by name) changed no case of either.
Their misses then showed famous places lost to namesakes through prominence the gazetteer lacked or context that
is no evidence: Geneva read as a village in Nebraska beside "the United States" (near the country's representative
point), Florida as a Puerto Rican municipality (first-level divisions had no population). After the changes those
prompted — a division's population from its towns, weighed against the name's other divisions; nearness never to
the point of a continent or a country more than 2,000 km across; the ranker refitted — and a few in recognition
(a possessor inside a mislabelled entity, "Mozambique's"; a salient name that is no common word wherever it stands,
"Lagos floods:"; a town's or division's own name in a Title Case headline keeps its capital, "Hits Ithaca", "Stark
County Expects"), not blind: conflict_n 0.945 / 0.966 / 0.912, namesakes_q 0.945 / 0.966 / 0.913 (famous 0.959 /
0.950 / 0.911, lesser 0.933 / 0.980 / 0.915), precision unchanged.


conflict_l (110 cases of conflict, disaster and migration news, ids cfl-; the brief of conflict_k) and conflict_m
(80 cases of missile, drone, rocket, artillery and air-strike news naming the sites hit, used or aimed at — air
bases, ports, refineries, plants, dams, bridges, crossings, camps, districts — beside the towns; ids stk-) were
written blind while the curated table of such sites (``data/gazetteer/features/sites.csv``: 116 air bases, nuclear
plants, launch sites, dams, bridges, oil terminals, border crossings, camps and city districts that the registry
packages lack) and the reading of a lower-case tail that makes a salient name ("the Engels air base", "the Kerem
Shalom crossing") were built, and both were run first twice, unseen: on aca45d1, before that change, and on
aca45d1 with the table and that reading in its first form ("+ sites"; it also took a lone place word into a name,
"the Kharkiv region"). Both runs are out of sample; the difference is what the change is worth on news nobody tuned
it on: conflict_l end to end 0.894 -> 0.918, conflict_m 0.837 -> 0.907 (found 0.858 -> 0.919), precision unchanged.
The committed form, after seeing their misses (not blind): a lone place word stays a cue ("Washington state",
"Anhui province": the corpora's spans, GeoVirus F1 0.929 in the first form, 0.938 after), and a model's entity is
carried on to a salient name it begins ("Deir" GPE of "Deir ez-Zor", "English" LANGUAGE of "English Channel"):
conflict_l 0.962 / 0.957 / 0.921, conflict_m 0.927 / 0.982 / 0.911. On the older batches (the table was not drawn
from them, but their misses had shown camps, crossings and districts missing): all 3,780 of their cases found 0.929
-> 0.938, end to end 0.877 -> 0.889, precision 0.994 both (conflict_a-k found +0.5 to +2.8 points; no batch's end
to end lower).

conflict_k (110 cases of conflict, disaster and migration news, ids cfk-) and namesakes_p (50 famous, 50 lesser; ids
nsp-) were written blind from the same brief and run first on d882e95. Their misses showed headlines in Title Case
read as nothing ("Myanmar Rebels Seize Lashio, Home of Army's Northeastern Command": no place found; four such
headlines in conflict_k alone) and a lower-case direction kept in a name ("west London", unplaced). After the
change they prompted (not blind for them: a Title Case line is read in running case like one in capitals, words
before a feature's noun kept as its name, "Port Of X" read as the port of X; a lower-case direction is cut from the
start of a name): conflict_k found 0.918 -> 0.940, end to end 0.866 -> 0.889; namesakes_p 0.954 / 0.937 / 0.894;
every older batch the same or better (conflict_c, conflict_j, namesakes_o famous, world_d found +0.4 to +2.1
points), all 3,780 cases end to end 0.875 -> 0.877, precision 0.993 both. Two later changes of the same session
(not blind for these batches either: a name that speaks is put inside no area, "Moscow claimed the capture of
Kurakhove"; a country named as a pair is one place, "Trinidad and Tobago") took conflict_k's placed of found to
0.955 and end to end to 0.898, with no batch worse.

conflict_j (110 cases of conflict, security, disaster and migration news over 30+ countries, about 15 of them
headlines or posts; ids cfj-) and namesakes_o (50 famous, 50 lesser namesakes, half of the lesser ones told only by
context; ids nso-) were written blind from a new brief and run first on 36b5f00, then unchanged on 0c17adc (the
stand-in reading for the area a text puts a name in carries the story's evidence; a town outside an administrative
area the text names is contradicted), which had been made from WikToR's errors without seeing them: the same
figures to the third decimal. Their misses then prompted one change (not blind for them): an all-capitals headline
is read in running case (``extract.recase_capitals``; "INDIA, PAKISTAN TRADE FIRE IN KASHMIR AFTER PAHALGAM
ATTACK": one place found before, four after): conflict_j found 0.929 -> 0.938, end to end 0.905 -> 0.913; namesakes_o
and the 3,360 older cases unchanged but one place found (conflict_a). What the rest of their misses show: rivers the
embedded gazetteer lacks (the Tennessee, the Mamoré, the Naf, the Patapsco), districts and quarters it lacks
(Devonport in Plymouth, Carrefour-Feuilles, Zinda Jan district), and famous places lost to a pair of namesakes that
vouch for each other (Waterloo and Brussels, Ontario; Mecca, California and Medina, Washington — the Saudi cities
are known to the gazetteer only by alternate names, which the ranker weighs down).

conflict_i (110 cases of conflict and world news over 30+ countries, spelled as the wire services spell them;
ids cfi-) and namesakes_n (100 famous, 100 lesser namesakes from every continent, each name at most twice; ids
nsn-) were written blind and run once on ee737ce with the spelling readings (a name the gazetteer does not know
as written gets the places spelled like it with the same consonants, kept where the story vouches for them; the
recogniser refitted with the new feature), before the two changes their misses prompted. The same batches on
ee737ce itself: conflict_i found 0.926, placed of found 0.954, end to end 0.883; namesakes_n famous 0.987 / 0.969 /
0.956, lesser the same — the wire spellings were mostly ones the gazetteer already holds, so the spelling readings
added one place found. After reading their misses (not blind for them): a name is no evidence of a person about
itself ("KHAN YOUNIS, Gaza Strip —" and "west of Khan Younis", both tagged PERSON, had each been the other's
"person named elsewhere"), and a FAC-tagged name with no reading gets its spellings too: conflict_i 0.936 / 0.951
/ 0.890, namesakes_n unchanged; all 3,050 older cases end to end 0.857 -> 0.866, precision 0.993 both. Most of the
lesser namesakes misplaced are decided in the text by a river, lake, sound or bay the embedded gazetteer does not
hold (Seneca Lake, the Elizabeth River, the Breede River, King George Sound), so the famous namesake wins.

conflict_h (100 cases of conflict and security news over 25+ conflicts in 35+ countries: front-line towns,
villages, districts, crossings, camps, bases, datelines, possessives; ids cfh-) and namesakes_m (50 famous, 50
lesser namesakes over 40+ countries; 29 of the lesser cases are decided by the story's other places or by "X, a
town in Y" rather than by a qualifier; ids nsm-) were written blind and run once on 79642bf (the area a name is put
in found past a parenthesis and for names that are also divisions; the divisions' extents from their towns; the
ranker refitted). The same batches on the commit before (929950f): the same figures to the third decimal, both.
Of conflict_h's 49 places not found, most are towns, camps, crossings and bases the embedded gazetteer does not hold
under the name written; among the misplaced, famous readings lost to a pair of namesakes that agree with each other
("Córdoba ... Seville" placed in Colombia and Ohio, "Memphis ... Cairo" in Tennessee and Illinois).

world_k (100 cases over 35+ countries on every continent naming provinces, regions, districts and counties the way
English-language news does: English forms of provinces, "County X", with and without the division word; ids
wdk-) and conflict_g (100 cases of conflict and security news over 20+ conflicts: front-line towns, crossings,
bases, datelines, possessives, lists, hashtags; ids cfg-) were written blind and run once on 5a85695, the commit
that added the divisions' English names from the Unicode CLDR ("East Java", "South Kivu") and "County Mayo".
The same batches on the code and gazetteer before it (86fe09b): world_k found 0.899, placed of found 0.931, end to
end 0.837; conflict_g 0.889 / 0.954 / 0.849; precision the same — the names, added from a registry and not from
these batches' misses, carried over. After reading their misses (not blind for them): a dateline's word is never
a speaker and a short one is no acronym ("LASHIO, Myanmar — The army said", "JOS, Nigeria —"), an entity joining
two known places by "at" or "to" is both ("Chad at Adre"), a direction before "of" is no part of a name ("the
Taiwan Strait east" of Pingtan), and a span the model split is carried over capitalised words to the whole name
the gazetteer knows ("Dera" + "Ismail Khan", "SOUTH" + "CHARLESTON"): world_k 0.906 / 0.946 / 0.857, conflict_g
0.906 / 0.966 / 0.875 (precision 0.995, 0.977); every older batch the same or better (all 2,850 cases: end to
end 0.853 -> 0.857, precision 0.993).

world_j (100 cases over 25+ countries naming administrative divisions the way local, disaster and conflict news
does — with and without the division word, in lists, in datelines; ids wdj-) was written blind and run once on
1870d84, after the rule for lists of one kind ("Butler and Warren counties": each item a county). The same batch on
the code before that rule (66c24ec): found 0.841, placed of found 0.904, end to end 0.761, precision 0.997 — the
rule, written from one LGL error, carried over to text nobody tuned on.

namesakes_g (100 cases over 12+ countries, written as local and regional news: the namesake is decided by the
towns, counties and rivers around it rather than by a qualifier; ids nsh-) was written blind and run once on
23f484e, with the shipped ranker, with a ranker refitted with two more features (the share of the story's places in
the candidate's country and first-level division; not shipped: leave-one-corpus-out it moved nothing by more than
0.003) and with the hand-set weights: the same figures, to the third decimal, all three. 35 of its 49 misses are
names with no reading within tolerance in the embedded gazetteer (British and New Zealand rivers, lakes,
districts, villages).

world_i (80 cases; conflict and world news over 30+ countries, favouring towns, villages, crossings, camps, rivers
and passes a small model will not know; datelines, lists, hashtags) was written blind and run once on 9241add, after
the changes prompted by world_h (coordinated names inside one entity judged one by one, one-word hashtags).

world_h (conflict and world news over 40+ countries, many small towns, datelines, hashtags) and namesakes_f (names
with several namesakes, avoiding the textbook ones; ids nsg-) were written blind and run once on b11910b. After
reading world_h's misses, two changes to recognition (not blind for world_h): a proper name inside an entity the
model tagged as a date or time ("Manbij" DATE, "Antakya 198 hours" TIME) is left to the gazetteer scan and the
recogniser unless it is a calendar word, and an ORG entity that is two known places joined by "on", "in" or
"near" ("Honiara on Guadalcanal") is both places. world_h found 0.881 -> 0.890; every other batch the same or up to
+0.007, precision unchanged; LGL and GeoVirus (in sample) F1 0.790 and 0.932 unchanged, 5 and 1 more gold matched.

namesakes_e (exonyms and older spellings in English news — Mecca, Odessa, Calcutta, Canton, Kiev — and their
small namesakes) was written blind and run once on 0a08b96, before the ranker was refitted with it and with the
``alternate_top`` feature (an alternate name of the reading the world names most and that has most people).

The second set of batches (conflict_c: conflict news over 75 countries; world_d: shipping, flights, migration,
disasters, launches, epidemics over about 100; namesakes_b) was written blind in this session and run once on commit
f428347 (the learned ranker as default). The same run with the hand-set ranker (``--hand-set``), also before any
change: placed of found 0.958, 0.940, 0.781 (famous), 0.806 (lesser); found is the same. Changes made after
reading that run's misses (a state qualifies only its own towns, "Cairo, Illinois"; a name's first qualified
mention decides; a reading in the area "X is a town in Y" names) moved placed of found to 0.956, 0.934, 0.801,
0.827 — not blind.

The third set (conflict_e: conflict news over 74 countries; world_f: world news over 109; namesakes_c: 85
countries) was written blind in a later session, from the same brief, while the recogniser and the ranker were
refitted on the earlier batches as well as the corpora (``scripts/fit_*.py``: the suites as training corpora, each
held out in turn), and run before anyone read their misses. Their rows above are commit 667aa7b. A run on the
working tree just before it — without the acronym feature and the convergence of collective resolution, two
changes prompted by existing tests, not by these batches — gave placed of found 0.930 / 0.920 / 0.975 / 0.915 and
found 0.872 / 0.866 / 0.950 / 0.930. The same run with the recogniser of the session before (fitted on LGL and
GeoVirus only) found 0.832 / 0.854 / 0.933 / 0.933: the suites as training data raised recall on the unseen
conflict batch by four points. With the ranker of the session before (fitted on the corpora only) placed of found
was 0.932 / 0.914 / 0.972 / 0.911, with the hand-set weights (on 667aa7b) 0.927 / 0.916 / 0.968 / 0.905: fitting
the ranker on our own suites changed placing on unseen suites by less than a point.

A fourth set (world_g: world and conflict news over 127 countries and territories; namesakes_d: 83) was written
blind in the same session after the third set's misses had been read, and run once on commit 8fbb3da before its
own misses were read (hand-set weights, same run: placed of found 0.955 / 0.912 famous / 0.886 lesser).

Later rows of this script's output are *not* blind once a change was made after seeing them.

Usage::

    python benchmarks/places.py [--misses] [--batch conflict_a] [--hand-set | --held-out] [--dir DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.places.suite import load_all, misses, run_cases, score  # noqa: E402


def _row(label: str, s: dict) -> str:
    return (f"{label:<30}{s['cases']:>6}{s['expected']:>9}{s['found_share']:>7.3f}{s['placed_of_found']:>17.3f}"
            f"{s['end_to_end']:>12.3f}{s['precision']:>11.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--misses", action="store_true", help="list every place not found, misplaced, or extra")
    ap.add_argument("--batch", help="only this batch (file stem)")
    ap.add_argument("--hand-set", action="store_true", help="rank with the hand-set weights (the fallback)")
    ap.add_argument("--held-out", action="store_true",
                    help="rank each batch with the ranker fitted without its group of suites "
                         "(benchmarks/folds/ranker-without-Conflict.json or -Namesakes.json)")
    ap.add_argument("--ranker", type=Path, help="rank with the weights in this file (see geo_news.ranker.save)")
    ap.add_argument("--dir", type=Path, help="read the batches from this folder instead of tests/places")
    args = ap.parse_args(argv)

    from geo_news.pipeline import default_geoparser
    from geo_news.ranker import hand_set

    parser = default_geoparser()
    if args.hand_set:
        parser.resolver.ranker = hand_set()
    elif args.ranker:
        from geo_news.ranker import load

        parser.resolver.ranker = load(args.ranker)
    if args.dir:
        from tests.places.suite import load_batch

        everything = [c for path in sorted(args.dir.glob("*.yaml")) for c in load_batch(path)]
    else:
        everything = load_all()
    cases = [c for c in everything if not args.batch or c.batch == args.batch]
    rankers = {}
    if args.held_out:
        from geo_news.ranker import load
        from scripts.fit_ranker import FOLDS, SUITES

        for group, patterns in SUITES.items():
            fold = load(FOLDS / f"ranker-without-{group}.json")
            for pattern in patterns:
                rankers.update({c.batch: fold for c in cases if Path(c.batch + ".yaml").match(pattern)})
    started = time.perf_counter()
    shipped = parser.resolver.ranker
    outcomes = []
    for batch in dict.fromkeys(c.batch for c in cases):
        parser.resolver.ranker = rankers.get(batch, shipped)
        outcomes.extend(run_cases([c for c in cases if c.batch == batch], parser))
    parser.resolver.ranker = shipped
    seconds = time.perf_counter() - started
    print(f"{'batch':<30}{'cases':>6}{'expected':>9}{'found':>7}{'placed of found':>17}{'end to end':>12}"
          f"{'precision':>11}")
    groups: dict[str, list] = {}
    for o in outcomes:
        groups.setdefault(o.case.batch, []).append(o)
        if o.case.half:
            groups.setdefault(f"{o.case.batch} ({o.case.half})", []).append(o)
    for label, outs in groups.items():
        print(_row(label, score(outs)))
    print(_row("all", score(outcomes)))
    print(f"\n{len(cases)} cases in {seconds:.1f} s")
    if args.misses:
        print("\n".join(misses(outcomes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
