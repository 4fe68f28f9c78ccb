"""scripts/convert_cameo_verbs.py on made-up verb dictionary entries (nothing here reads
../shared), and the coder reading the columns it writes."""
from __future__ import annotations

import pytest

from newsledger.extract import events as E

DICTIONARY = """\
# a made-up verb dictionary in the PETRARCH format
&WEAPONRY
+RIFLE
+MORTARS

---  SCOLD   [---]  ---
BERATE
SCOLD
- * OUT (AT $)                                        [111]         # SCOLD
- * (INTO {FISCAL WRONGDOING})                        [090]         # BERATE
- * &WEAPONRY                                         [190]         # SCOLD
- SOLDIERS * (TO &WEAPONRY) $                         [150]         # SCOLD
- * (TO FUTURE) (WITH OPTIMISM)                       [013]         # SCOLD

---  WHISK   [070]  ---
WHISK
- * SUPPLIES                                          [073]
"""

TABLE = {"11": ("ACCUSE", "", ""), "09": ("ACCUSE", "", ""), "19": ("ASSAULT", "", ""),
         "15": ("MOBILIZE", "", ""), "07": ("AID", "", "")}


@pytest.fixture(scope="module")
def conv(load_script):
    return load_script("convert_cameo_verbs")


@pytest.fixture
def rows(conv, tmp_path):
    folder = tmp_path / "dictionaries" / "phoenix"
    folder.mkdir(parents=True)
    (folder / "CAMEO.2.0.txt").write_text(DICTIONARY, encoding="latin-1")
    return conv.mine_verbs(tmp_path, TABLE)


def test_a_pattern_belongs_to_the_verb_its_comment_names(rows):
    # "berate" is the pattern's verb, though "berate" is also the block's first verb; "scold"
    # patterns go to "scold", not to "berate"
    assert ("berate", "", "into", "wrongdoing", "", "090", "ACCUSE", "") in rows
    assert ("scold", "", "out", "", "", "111", "ACCUSE", "") not in rows  # "(AT $)": no noun


def test_particles_prepositions_synsets_and_subjects_become_constraints(rows):
    assert ("scold", "rifle,mortars,mortar", "", "", "", "190", "ASSAULT", "") in rows
    assert ("scold", "", "to", "rifle,mortars,mortar", "soldiers,soldier", "150", "MOBILIZE",
            "") in rows


def test_shapes_it_cannot_read_are_left_out(rows):
    assert not [r for r in rows if r[5] == "013"]  # two prepositional phrases


def test_a_block_code_codes_its_bare_verbs_and_patterns_without_a_comment_its_first_verb(rows):
    assert ("whisk", "", "", "", "", "070", "AID", "") in rows
    assert ("whisk", "supplies,supply", "", "", "", "073", "AID", "") in rows


def test_the_coder_reads_the_mined_columns(conv, rows, tmp_path, monkeypatch, parse):
    path = tmp_path / "cameo_verbs.tsv"
    header = "lemma\tobject\tprep\tpobj\tsubject\tcameo\ttype\tmode"
    path.write_text("\n".join([header, *("\t".join(r) for r in rows)]) + "\n", encoding="utf-8")
    mined = {(p.lemmas, p.cameo): p for p in E.mined_patterns(path)}
    into = mined[("berate",), "090"]
    assert (into.prep, into.pobj, into.tier) == ({"into"}, {"wrongdoing"}, E.TIER_MINED)
    assert mined[("scold",), "150"].subject == {"soldiers", "soldier"}
