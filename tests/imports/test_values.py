"""Cell values as German offices write them (SECURITY.md E1: Hypothesis on the
date, phone and postcode parsers)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotse.imports import values
from lotse.imports.values import Unreadable

TODAY = datetime.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("01.02.1990", datetime.date(1990, 2, 1)),
        ("1.2.90", datetime.date(1990, 2, 1)),
        ("1.2.05", datetime.date(2005, 2, 1)),
        ("1/2/1990", datetime.date(1990, 2, 1)),
        ("1990-02-01", datetime.date(1990, 2, 1)),
        (" 01.02.1990 ", datetime.date(1990, 2, 1)),
        (32905, datetime.date(1990, 2, 1)),  # an Excel serial number
        (32905.0, datetime.date(1990, 2, 1)),
        ("32905", datetime.date(1990, 2, 1)),
        (datetime.datetime(1990, 2, 1, 0, 0), datetime.date(1990, 2, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_the_way_offices_write_them(cell, expected):
    assert values.date(cell, today=TODAY) == expected


@pytest.mark.parametrize(
    "cell", ["31.02.1990", "1990-13-01", "gestern", "1.2", True, "01.02.19900"]
)
def test_what_is_no_date_is_refused_with_what_was_expected(cell):
    with pytest.raises(Unreadable) as refused:
        values.date(cell, today=TODAY)
    assert "01.02.1990" in refused.value.expected


@given(st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31)))
def test_any_date_written_the_german_way_comes_back(day):
    assert values.date(day.strftime("%d.%m.") + f"{day.year:04d}", today=TODAY) == day
    assert values.date(f"{day.day}.{day.month}.{day.year:04d}", today=TODAY) == day


@given(st.dates(min_value=datetime.date(1927, 1, 1), max_value=TODAY))
def test_two_digit_years_are_the_last_hundred_years(day):
    assert values.date(f"{day.day}.{day.month}.{day.year % 100:02d}", today=TODAY) == day


@given(st.text(max_size=30))
def test_the_date_parser_never_fails_otherwise(cell):
    try:
        result = values.date(cell, today=TODAY)
    except Unreadable:
        return
    assert result is None or isinstance(result, datetime.date)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0721 123456", "+49721123456"),
        ("0721/123456", "+49721123456"),
        ("+49 170 1234567", "+491701234567"),
        ("0049 170 1234567", "+491701234567"),
        (1701234567, "+491701234567"),  # Excel dropped the leading zero
        ("", None),
    ],
)
def test_phone_numbers_become_international(cell, expected):
    assert values.phone(cell) == expected


@given(st.one_of(st.text(max_size=25), st.integers(), st.floats(allow_nan=False)))
def test_the_phone_parser_gives_a_number_or_says_why_not(cell):
    try:
        result = values.phone(cell)
    except Unreadable as refused:
        assert refused.expected
        return
    assert result is None or result.startswith("+")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(76133, "76133"), ("01067", "01067"), (1067, "01067"), ("D-76133", "76133"), (None, None)],
)
def test_postal_codes(cell, expected):
    assert values.postal_code(cell) == expected


@given(st.one_of(st.text(max_size=12), st.integers(min_value=-(10**6), max_value=10**7)))
def test_the_postal_code_parser_gives_five_digits_or_says_why_not(cell):
    try:
        result = values.postal_code(cell)
    except Unreadable:
        return
    assert result is None or (len(result) == 5 and result.isdigit())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("ja", True), ("X", True), ("Yes", True), (1, True), (True, True), ("nein", False),
     ("no", False), ("0", False), ("", None)],
)  # fmt: skip
def test_yes_and_no(cell, expected):
    assert values.yes_no(cell) is expected


def test_maybe_is_neither_yes_nor_no():
    with pytest.raises(Unreadable):
        values.yes_no("vielleicht")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Arabisch, Deutsch (B1)", [("ara", None), ("deu", "B1")]),
        ("Arabisch (Muttersprache); Englisch B2 / Farsi", [("ara", "native"), ("eng", "B2"),
                                                           ("fas", None)]),
        ("Ukrainisch - Muttersprache", [("ukr", "native")]),
        ("arabic (native), german (b1)", [("ara", "native"), ("deu", "B1")]),
        ("Deutsch und Englisch", [("deu", None), ("eng", None)]),
        ("Kurdisch (Kurmanci)", [("kmr", None)]),
        ("de, en", [("deu", None), ("eng", None)]),
        ("Türkisch C1", [("tur", "C1")]),
        ("", []),
    ],
)  # fmt: skip
def test_a_list_of_languages_in_one_cell(cell, expected):
    assert values.languages(cell) == expected


def test_an_unknown_language_is_named():
    with pytest.raises(Unreadable, match="Blablaisch"):
        values.languages("Deutsch, Blablaisch")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Syrien", "SY"), ("Syria", "SY"), ("SYR", "SY"), ("sy", "SY"), ("Türkei", "TR"),
     ("Turkei", "TR"), ("Iran, Islamische Republik", "IR"), ("Irak", "IQ"),
     ("Afghanistan", "AF"), ("Eritrea", "ER"), ("Russische Föderation", "RU"),
     ("Elfenbeinküste", "CI"), ("Deutschland", "DE")],
)  # fmt: skip
def test_countries_in_german_or_english(cell, expected):
    assert values.country(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("w", "female"), ("Frau", "female"), ("M", "male"), ("männlich", "male"),
     ("divers", "diverse"), ("k. A.", "not_stated")],
)  # fmt: skip
def test_genders(cell, expected):
    assert values.gender(cell) == expected


def test_text_is_trimmed_and_umlauts_unified():
    # A Mac export writes ü as u and a combining diaeresis.
    assert values.text("  Mu\u0308ller \t Jürgen \n") == "Müller Jürgen"
    assert values.text(4711.0) == "4711"
