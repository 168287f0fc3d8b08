"""The rule-based coder on its own: one test per lexicon entry and per rule, and the archive's hardest phrases.

Nothing here reads the data tables: the coder is tested on sentences and on the archived text only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_report import coder

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = (ROOT / "data" / "archive" / "000_417f629a4e5b8d57.txt").read_text(encoding="utf-8")
LEX = coder.lexicons()


def form(entry: str) -> str:
    """A word the entry matches: 'kill*' -> 'killed'."""
    return entry[:-1] + "ed" if entry.endswith("*") else entry


def entries(group: str):
    return [pytest.param(key, w, id=f"{group}:{key}:{w}") for key, words in LEX[group].items() for w in words]


def counts(quote: str) -> list[tuple]:
    return [(c.category, c.rule, c.min, c.max, c.described_as) for c in coder.counts(quote)]


def code_quote(quote: str) -> coder.Proposal:
    """The coder's proposal for a passage of the archive (found by its words, not by any data row)."""
    start = ARCHIVE.index(quote)
    return coder.code(ARCHIVE, start, start + len(quote))


# ---- one test per lexicon entry -----------------------------------------------------------------


@pytest.mark.parametrize(("key", "word"), entries("parties"))
def test_party_entry(key, word):
    assert key in coder.named(f"Strikes by {form(word)} hit the town", LEX["parties"])


def test_us_is_not_the_pronoun():
    assert coder.named("they told us nothing", LEX["parties"]) == []


@pytest.mark.parametrize(("key", "word"), entries("targets"))
def test_target_entry(key, word):
    assert coder.named(f"jets hit the {form(word)} again", LEX["targets"]) == [key]


def test_campaign_is_not_a_camp():
    assert coder.named("victims of Russia’s campaign", LEX["targets"]) == []


@pytest.mark.parametrize(("key", "word"), entries("weapons"))
def test_weapon_entry(key, word):
    assert coder.named(f"jets dropped {form(word)} bombs", LEX["weapons"]) == [key]


@pytest.mark.parametrize(("key", "word"), entries("governorates"))
def test_governorate_entry(key, word):
    assert coder.governorates(f"strikes in {word} today") == [key]


@pytest.mark.parametrize(("key", "word"), [p for p in entries("harm_words") if p.values[0] != "attacks"])
def test_harm_word_entry(key, word):
    got = counts(f"{form(word)} 300 people" if key != "out_of_school" else f"Bombing {word} for 300 people")
    assert [(c[0], c[2]) for c in got] == [(key, 300)]


@pytest.mark.parametrize("word", LEX["harm_words"]["attacks"])
def test_attack_word_entry(word):
    assert counts(f"jets {form(word)} 4 schools") == [("attacks", "exact", 4, 4, "schools")]


@pytest.mark.parametrize(("key", "word"), entries("count_nouns"))
def test_count_noun_entry(key, word):
    classes = LEX["noun_classes"]
    if key in classes["facilities"]:
        assert counts(f"jets bombed 9 {word}") == [("attacks", "exact", 9, 9, key)]
    elif key in classes["events"]:
        assert counts(f"9 {word} hit the town")[0][:4] == (key, "exact", 9, 9)
    elif key == "martyrs":
        assert counts(f"9 {word} today") == [("killed", "exact", 9, 9, "people")]
    elif key in ("children", "women"):
        assert (key, "exact", 9, 9, key) in counts(f"jets killed 9 {word}")
    elif key == "antecedent":  # stands for the group named before it
        assert counts(f"The killing of 20 civilians, {word} 9 were killed")[1] == ("killed", "exact", 9, 9, "civilians")
    else:
        assert counts(f"jets killed 9 {word}") == [("killed", "exact", 9, 9, key)]


@pytest.mark.parametrize("word", LEX["not_counted"]["durations"])
def test_duration_entry_is_not_a_count(word):
    assert counts(f"jets killed 9 civilians in 72 {word}") == [("killed", "exact", 9, 9, "civilians")]


@pytest.mark.parametrize("word", LEX["not_counted"]["objects"])
def test_object_entry_is_not_a_count(word):
    assert counts(f"jets destroyed 9 {word} and killed nobody") == []


@pytest.mark.parametrize("month", LEX["not_counted"]["months"])
def test_month_entry_keeps_the_year_out(month):
    assert counts(f"The killing of 12 civilians in {month} 2016") == [("killed", "exact", 12, 12, "civilians")]


@pytest.mark.parametrize("word", LEX["place_cues"]["before a name"])
def test_place_cue_entry(word):
    assert "Kafr Zita" in coder.places(f"strikes {word} Kafr Zita today")


@pytest.mark.parametrize("word", LEX["place_cues"]["qualifiers"])
def test_place_qualifier_entry(word):
    assert f"{word} Idlib" in coder.places(f"strikes across {word} Idlib")


@pytest.mark.parametrize("word", [w for ws in LEX["not_places"].values() for w in ws])
def test_not_a_place_entry(word):
    assert coder.places(f"strikes on {word}") == []


@pytest.mark.parametrize(
    ("cue", "quote", "name"),
    [
        (
            "according to",
            "12 killed, according to new Syrian Civil Defense Authority statistics",
            "Syrian Civil Defense Authority",
        ),
        (
            "from (in brackets)",
            "42 killed (from Raqqa is Being Slaughtered Silently)",
            "Raqqa is Being Slaughtered Silently",
        ),
        (
            "more from",
            "More from Raqqa is Being Slaughtered Silently: 100 killed",
            "Raqqa is Being Slaughtered Silently",
        ),
        ("via", "Strikes on Anadan (via @QasiounNews)", "@QasiounNews"),
        ("told", "he told The Independent last month", "The Independent"),
        ("news outlet", "BuzzFeed News’ reporter talks to victims", "BuzzFeed News"),
        ("recorded by", "Physicians for Human Rights, which recorded 23 attacks", "Physicians for Human Rights"),
        (
            "office of a town",
            "The public information office of the city Haritan says",
            "public information office of the city Haritan",
        ),
        ("headline credit", "Eight children dead after strike hits school: monitor", "monitor"),
    ],
)
def test_outlet_cue_entry(cue, quote, name):
    assert cue in LEX["outlet_cues"]
    text = f"Summaries of Russian war crimes\n\n{quote}\n"
    start = text.index(quote)
    got = coder.outlet(coder.unit(text, start, start + len(quote)))
    assert got == coder.Outlet(name, "named_in_quote")


def test_outlet_cue_that_introduces_what_follows():
    text = "Title\n\n\n\nOur friend wrote on his Facebook page\n\n“Hospitals are being destroyed.”\n"
    quote = "Hospitals are being destroyed."
    start = text.index(quote)
    assert coder.outlet(coder.unit(text, start, start + len(quote))) == coder.Outlet(
        "Facebook page", "named_in_preceding_text"
    )


@pytest.mark.parametrize("measure", list(LEX["measures"]))
def test_measure_entry(measure):
    quote = {
        "civilians_killed": "killed 30 civilians",
        "people_killed": "killed 30 people",
        "schools_attacked": "jets bombed 30 schools",
        "medical_facility_attacks": "recorded 30 attacks on medical facilities",
        "people_out_of_school": "Bombing closes schools for 30 pupils",
    }[measure]
    assert [c.measure for c in coder.counts(quote)] == [measure]


# ---- one test per counting rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "rule", "lo", "hi"),
    [
        ("killed 42 civilians", "exact", 42, 42),
        ("killed Eight civilians", "exact", 8, 8),
        ("killed at least 12 civilians", "at_least", 12, None),
        ("killed more than 35 civilians", "more_than", 36, None),
        ("killed over 35 civilians", "more_than", 36, None),
        ("30+ wounded", "n_plus", 30, None),
        ("dozens of people were killed", "dozens", 12, None),
        ("hundreds of civilians were killed", "hundreds", 100, None),
        ("thousands of civilians were killed", "thousands", 1000, None),
        ("Bombing closes schools for 1000s", "thousands", 1000, None),
        ("killing 1,815 civilians", "exact", 1815, 1815),
        ("displace over150 000 in Daraa", "more_than", 150001, None),
        ("wounding a number of others", "stated_unnumbered", None, None),
    ],
)
def test_count_rule(phrase, rule, lo, hi):
    (c,) = coder.counts(phrase)
    assert (c.rule, c.min, c.max) == (rule, lo, hi)


def test_subgroup_only_is_the_killed_minimum():
    assert counts("Eight children dead after a strike") == [
        ("children", "exact", 8, 8, "children"),
        ("killed", "from_subgroup", 8, None, "children"),
    ]


def test_subgroup_of_a_killed_count_is_not_the_minimum():
    assert counts("killing 10 civilians, including 4 women") == [
        ("killed", "exact", 10, 10, "civilians"),
        ("women", "exact", 4, 4, "women"),
    ]


def test_group_named_without_a_number():
    assert ("children", "stated_unnumbered", None, None, "children") in counts("killing 12 people, including children")


def test_a_count_without_a_word_of_harm_is_not_coded():
    assert counts("a bakery designed to help 18000 Syrians") == []


def test_victims_alone_state_no_kind_of_harm():
    assert counts("victims of airstrikes targeting their homes") == []


def test_a_list_of_groups_is_people():
    got = counts("hundreds of children, rebels, aid workers, and civilians have been killed")
    assert got == [("killed", "hundreds", 100, None, "people")]


def test_a_word_of_another_count_does_not_lend_its_category():
    assert counts("6 martyrs, 30+ wounded victims") == [
        ("killed", "exact", 6, 6, "people"),
        ("injured", "n_plus", 30, None, "people"),
    ]


# ---- the archive's hardest phrases --------------------------------------------------------------


def test_72_hours_is_a_span_not_a_count():
    p = code_quote("Russian Forces killed 99 civilians in 72 hours in Ma’art Al No’man City in Idlib")
    assert [(c.category, c.rule, c.min, c.max) for c in p.counts] == [("killed", "exact", 99, 99)]
    assert p.governorates == ["SY-ID"] and coder.names_place(p.places, "Ma’art Al No’man City")


def test_1000s():
    p = code_quote("Russian Bombing Closes Schools for 1000s in Homs and Latakia Provinces")
    assert [(c.measure, c.rule, c.min) for c in p.counts] == [("people_out_of_school", "thousands", 1000)]


def test_martyrs_numbered_and_all_of_them_civilians():
    p = code_quote(
        "The outcome of the martyrs of Raqqa yesterday, 46 martyrs all of them civilians. And air strikes from coalition and Russia"
    )
    assert [(c.category, c.rule, c.min, c.described_as) for c in p.counts] == [("killed", "exact", 46, "civilians")]
    assert p.parties == ["Russia", "coalition"]


def test_martyrs_without_a_number():
    p = code_quote("Witness during the work of the civil defence team out of the martyrs from under the rubble")
    assert [(c.category, c.rule) for c in p.counts] == [("killed", "stated_unnumbered")]


def test_via_in_the_authors_prose_names_no_outlet():
    p = code_quote("The Assad family dynasty may think they can finish this via employing an invasion")
    assert p.outlet is None


def test_outlet_named_elsewhere_in_the_item():
    p = code_quote("War surgeon reveals how healthcare workers are being systematically targeted in Syria")
    assert p.outlet == coder.Outlet("The Independent", "named_in_item")


def test_list_heading_is_not_an_attribution_but_the_title_is_for_prose():
    assert code_quote("The Killing of 1382 Civilians in January 2016").parties == []
    p = code_quote("thousands of civilians were slaughtered")
    assert (p.parties, p.party_basis) == (["Russia"], "compilation title")


def test_parties_written_together():
    assert code_quote("Latakia: SAA/ RUSSIA bombed #Aubin IDP Camp").parties == ["Russia", "Syrian government"]
    assert code_quote("142 Killed on Friday Amid Russian and US Airstrikes").parties == ["Russia", "US"]


def test_hashtag_place_and_headline_case():
    assert coder.names_place(
        code_quote("victims of #Russia airstrikes targeting their homes in #Qabr_alEnglizi area").places,
        "Qabr alEnglizi",
    )
    assert coder.names_place(
        code_quote("In Homs Russian Strikes on Turkmen Village Kill Seven Women and Children").places, "Turkmen Village"
    )


def test_out_of_scope_is_not_coded():
    start = ARCHIVE.index("And who Russia wanted to invite to Geneva")
    assert coder.code(ARCHIVE, start, start + 20) == coder.Proposal()


def test_of_whom_stands_for_the_group_named_before_it():
    p = code_quote("of whom 679 were killed by Russian Forces")
    assert [(c.measure, c.min) for c in p.counts] == [("civilians_killed", 679)]
    assert coder.counts("of whom 12 were killed")[0].described_as == "people"  # no group named before
    assert coder.counts("of whom 12 were killed", "Strikes hit 40 worshippers, ")[0].described_as == "worshippers"
