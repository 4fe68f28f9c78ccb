"""scripts/convert_phoenix.py on made-up dictionary entries (nothing here reads ../shared)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def conv(load_script):
    return load_script("convert_phoenix")


def armed(conv, text: str, tmp_path) -> list[dict]:
    """Convert ``text`` as if it were Phoenix.MilNonState.actors.txt."""
    (tmp_path / "Phoenix.MilNonState.actors.txt").write_text(text, encoding="latin-1")
    for other in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt"):
        (tmp_path / other).write_text("", encoding="latin-1")
    return conv.convert_actors(tmp_path)


def test_a_group_with_an_acronym_or_a_group_word_is_kept_as_a_group(conv, tmp_path):
    specs = armed(conv, "FREEDONIA_LIBERATION_HAWKS_(FLH)_ [FRDREB]\n+FREEDONIAN_HAWKS_\n"
                        "ARMY_OF_THE_NORTHERN_JIHAD_ [SYLREB]\n"
                        "KASIMIR_BLOTT_ [FRDREB]\n", tmp_path)
    by_first = {s["names"][0]: s for s in specs}
    assert by_first["Freedonia Liberation Hawks"]["kind"] == "group"
    assert "Freedonian Hawks" in by_first["Freedonia Liberation Hawks"]["names"]
    assert by_first["Army of the Northern Jihad"]["kind"] == "group"
    # a member named like a person, with no term of office, is not a group: left out
    assert "Kasimir Blott" not in by_first


def test_aliases_that_name_nothing_in_particular_are_dropped(conv, tmp_path):
    specs = armed(conv, "RED_DAWN_BRIGADE_ [FRDREB]\n+TIGERS_\n+1977_\n+COLOMBIA_\n", tmp_path)
    assert [s["names"] for s in specs] == [["Red Dawn Brigade"]]
