"""Cell values the way German offices write them, turned into what Lotse stores.

Each parser takes what a spreadsheet cell holds (text, a number, a date or
nothing), returns the value to store, `None` for an empty cell, and raises
`Unreadable` with what is wrong and what was expected otherwise. No parser
guesses silently: what it cannot read for sure it refuses.
"""

from __future__ import annotations

import datetime
import gettext
import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

import phonenumbers
import pycountry
from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

# Excel's serial dates: 1 is 1900-01-01, 2958465 is 9999-12-31.
_SERIAL_RANGE = (1, 2_958_465)
_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_LEVEL = re.compile(r"\b([ABC][12])\b", re.IGNORECASE)
_NATIVE = ("muttersprache", "muttersprachlich", "ms", "native", "mother tongue", "erstsprache")
_YES = {"ja", "j", "x", "yes", "y", "1", "true", "wahr", "✓", "✔", "vorhanden"}
_NO = {"nein", "n", "no", "0", "false", "falsch", "-", "–", "nicht vorhanden"}
_GENDERS = {
    "female": ("w", "weiblich", "f", "female", "frau", "fr", "woman"),
    "male": ("m", "mannlich", "male", "mann", "herr", "hr", "man"),
    "diverse": ("d", "divers", "diverse", "x", "non-binary", "nichtbinar"),
    "not_stated": ("k. a.", "ka", "keine angabe", "not stated", "unbekannt", "unknown"),
}


def _german(domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["de"], fallback=True)


class Unreadable(ValueError):
    """A cell Lotse cannot read: `problem` says what is wrong, `expected` what would do."""

    def __init__(self, problem: str, expected: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.expected = expected


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """Trimmed, with runs of white space as one space and umlauts in one form
    (a decomposed "u" + "¨" from a Mac export becomes "ü")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def key(value: Any) -> str:
    """A form to compare names by: lower case, without accents or punctuation."""
    return _key(text(value))


@lru_cache(maxsize=65_536)
def _key(text_: str) -> str:
    # Cached: a file repeats its towns, countries and languages on every row.
    return " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(text_).casefold()).split())


# --- Dates ---------------------------------------------------------------------


def _year(digits: str, today: datetime.date, nearest: bool = False) -> int:
    """A year written with two digits is the latest year up to today that ends
    so (1.2.90 is 1990, 1.2.05 is 2005 in 2026): people's dates are of the
    past. With `nearest`, it is the year so ending nearest to today (1.2.27
    is 2027): the dates of offers and courses."""
    if len(digits) == 4:
        return int(digits)
    year = today.year - today.year % 100 + int(digits)
    if nearest:
        return min((year - 100, year, year + 100), key=lambda y: abs(y - today.year))
    return year if year <= today.year else year - 100


def date(
    value: Any, *, today: datetime.date | None = None, nearest: bool = False
) -> datetime.date | None:
    """01.02.1990, 1.2.90, 1/2/1990, 1990-02-01, an Excel date cell or an
    Excel serial number (32905). `nearest`: see `_year`."""
    if blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    expected = _("a date like 01.02.1990")
    if isinstance(value, bool):
        raise Unreadable(_("“%(value)s” is not a date.") % {"value": value}, expected)
    raw = text(value)
    if re.fullmatch(r"\d+(\.0+)?", raw) and isinstance(value, int | float | str):
        serial = int(float(raw))
        if _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1] and not _DATE.match(raw):
            return from_excel(serial).date()
    today = today or datetime.date.today()
    try:
        if match := _DATE.match(raw):
            day, month, year = match.groups()
            return datetime.date(_year(year, today, nearest), int(month), int(day))
        if match := _ISO_DATE.match(raw):
            year, month, day = match.groups()
            return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise Unreadable(
            _("“%(value)s” is no day of the calendar.") % {"value": raw}, expected
        ) from error
    raise Unreadable(_("“%(value)s” is not a date.") % {"value": raw}, expected)


def date_near(value: Any, *, today: datetime.date | None = None) -> datetime.date | None:
    """A date of a course or an offer: 1.2.27 is in 2027 (and 1.2.90 in 1990)."""
    return date(value, today=today, nearest=True)


# --- Contacts ------------------------------------------------------------------


def phone(value: Any) -> str | None:
    """A phone number as +49… (E.164). A number cell that lost its leading
    zero in Excel (1701234567) gets it back."""
    if blank(value):
        return None
    raw = text(value)
    if isinstance(value, int | float) and not raw.startswith("0"):
        raw = "0" + raw
    expected = _("a phone number like 0721 123456 or +49 721 123456")
    try:
        number = phonenumbers.parse(raw, "DE")
    except phonenumbers.NumberParseException as error:
        raise Unreadable(
            _("“%(value)s” is not a phone number.") % {"value": raw}, expected
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise Unreadable(_("“%(value)s” is not a valid phone number.") % {"value": raw}, expected)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(value: Any) -> str | None:
    if blank(value):
        return None
    raw = text(value).lower()
    if raw.startswith("mailto:"):
        raw = raw.removeprefix("mailto:")
    try:
        validate_email(raw)
    except ValidationError as error:
        raise Unreadable(
            _("“%(value)s” is not an e-mail address.") % {"value": raw},
            _("an address like name@example.de"),
        ) from error
    return raw


def postal_code(value: Any) -> str | None:
    """A German postal code of five digits; a number cell that lost its leading
    zero (1067 for Dresden's 01067) gets it back."""
    if blank(value):
        return None
    raw = text(value)
    if raw.upper().startswith("D-"):
        raw = raw[2:].strip()
    if re.fullmatch(r"\d{4}", raw) and isinstance(value, int | float):
        raw = "0" + raw
    if not re.fullmatch(r"\d{5}", raw):
        raise Unreadable(
            _("“%(value)s” is not a postal code.") % {"value": raw},
            _("five digits like 76133"),
        )
    return raw


def website(value: Any) -> str | None:
    """A web address; "www.example.de" gets its "https://"."""
    if blank(value):
        return None
    raw = text(value)
    if "://" not in raw:
        raw = "https://" + raw
    try:
        URLValidator(schemes=["http", "https"])(raw)
    except ValidationError as error:
        raise Unreadable(
            _("“%(value)s” is not a web address.") % {"value": text(value)},
            _("an address like www.example.de"),
        ) from error
    return raw


def count(value: Any) -> int | None:
    """A whole number of at least 0: 12, "12", 12.0 (as Excel stores it)."""
    if blank(value):
        return None
    original = value
    if isinstance(value, bool):
        value = None
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value)
    ):
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise Unreadable(
            _("“%(value)s” is not a number.") % {"value": text(original)},
            _("a whole number like 12"),
        )
    return value


# --- Choices -------------------------------------------------------------------


def yes_no(value: Any) -> bool | None:
    """ja/nein, x for yes, yes/no, 1/0, an Excel TRUE/FALSE."""
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    raw = text(value).casefold()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise Unreadable(
        _("“%(value)s” is neither yes nor no.") % {"value": text(value)},
        _("ja or nein (x counts as ja)"),
    )


def gender(value: Any) -> str | None:
    if blank(value):
        return None
    raw = key(value)
    for code, words in _GENDERS.items():
        if raw in {key(word) for word in words}:
            return code
    raise Unreadable(
        _("“%(value)s” is not a gender Lotse knows.") % {"value": text(value)},
        _("w, m or d (weiblich, männlich, divers)"),
    )


# --- Languages and countries -----------------------------------------------------

# Names the offices use that the ISO lists spell otherwise.
_LANGUAGE_NAMES = {
    "farsi": "fas",
    "persisch": "fas",
    "dari": "prs",
    "paschtu": "pus",
    "paschto": "pus",
    "kurdisch": "kur",
    "kurmandschi": "kmr",
    "kurmanci": "kmr",
    "sorani": "ckb",
    "tigrinisch": "tir",
    "tigrinja": "tir",
    "tigrinya": "tir",
    "eritreisch": "tir",
    "serbokroatisch": "hbs",
    "chinesisch": "zho",
    "mandarin": "cmn",
}
_COUNTRY_NAMES = {
    "turkei": "TR",
    "turkey": "TR",
    "russland": "RU",
    "russia": "RU",
    "iran": "IR",
    "syrien": "SY",
    "syria": "SY",
    "palastina": "PS",
    "palestine": "PS",
    "vereinigte staaten": "US",
    "usa": "US",
    "grossbritannien": "GB",
    "vereinigtes konigreich": "GB",
    "uk": "GB",
    "moldau": "MD",
    "moldawien": "MD",
    "kongo": "CD",
    "elfenbeinkuste": "CI",
    "tschechien": "CZ",
    "sudkorea": "KR",
    "nordmazedonien": "MK",
    "mazedonien": "MK",
    "weissrussland": "BY",
    "vietnam": "VN",
    "venezuela": "VE",
    "bolivien": "BO",
    "tansania": "TZ",
    "laos": "LA",
}


@cache
def _languages() -> dict[str, str]:
    """Every ISO 639-3 language by its codes and its English and German names."""
    german = _german("iso639-3")
    names: dict[str, str] = {}
    for language in pycountry.languages:
        code = language.alpha_3
        for name in (language.name, german.gettext(language.name)):
            names.setdefault(key(name), code)
            # "Arabic (macrolanguage)", "Persisch (Makrosprache)": also without it
            names.setdefault(key(re.sub(r"\s*\(.*\)$", "", name)), code)
    for language in pycountry.languages:
        names[language.alpha_3.casefold()] = language.alpha_3
        if alpha_2 := getattr(language, "alpha_2", None):
            names[alpha_2.casefold()] = language.alpha_3
        if bibliographic := getattr(language, "bibliographic", None):
            names[bibliographic.casefold()] = language.alpha_3
    names.update(_LANGUAGE_NAMES)
    return names


def language(value: Any) -> str | None:
    """An ISO 639-3 code from a code (de, deu, ger) or a German or English name."""
    if blank(value):
        return None
    code = _languages().get(key(value))
    if code is None:
        raise Unreadable(
            _("“%(value)s” is not a language Lotse knows.") % {"value": text(value)},
            _("a language name like Arabisch or Arabic, or a code like ara"),
        )
    return code


def level(value: Any) -> str | None:
    """A level of the Common European Framework (A1–C2) or native."""
    if blank(value):
        return None
    raw = key(value)
    if raw in {key(word) for word in _NATIVE}:
        return "native"
    if match := _LEVEL.fullmatch(raw.upper()):
        return match.group(1).upper()
    raise Unreadable(
        _("“%(value)s” is not a language level.") % {"value": text(value)},
        _("A1, A2, B1, B2, C1, C2 or Muttersprache"),
    )


def languages(value: Any) -> list[tuple[str, str | None]]:
    """A list in one cell: "Arabisch (Muttersprache), Deutsch B1; Englisch".
    Each language with its level, or None where the cell gives none."""
    if blank(value):
        return []
    found: dict[str, str | None] = {}
    for item in re.split(r"[,;/\n]+|\s+und\s+|\s+and\s+", text(value)):
        item = item.strip(" -–:")
        if not item:
            continue
        skill = None
        inner = re.search(r"\(([^)]*)\)", item)
        if inner:
            item, within = item[: inner.start()].strip(), inner.group(1)
            try:
                skill = level(within)
            except Unreadable:
                # "Kurdisch (Kurmanci)": the variety is the language meant
                item = within
        elif match := _LEVEL.search(item):
            skill = match.group(1).upper()
            item = (item[: match.start()] + item[match.end() :]).strip(" -–:")
        else:
            for word in _NATIVE:
                if key(item).endswith(" " + key(word)):
                    skill = "native"
                    item = item[: -len(word)].strip(" -–:")
                    break
        code = language(item)
        if code is not None:
            found[code] = skill or found.get(code)
    return list(found.items())


@cache
def _countries() -> dict[str, str]:
    german = _german("iso3166-1")
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in (
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
            german.gettext(country.name),
        ):
            if name:
                names.setdefault(key(name), code)
                # "Iran, Islamische Republik", "Syrian Arab Republic": the first part too
                names.setdefault(key(name.split(",")[0]), code)
        names[country.alpha_2.casefold()] = code
        names[country.alpha_3.casefold()] = code
    names.update(_COUNTRY_NAMES)
    return names


def country(value: Any) -> str | None:
    """An ISO 3166 alpha-2 code from a code (SY, SYR) or a German or English name."""
    if blank(value):
        return None
    code = _countries().get(key(value))
    if code is None:
        raise Unreadable(
            _("“%(value)s” is not a country Lotse knows.") % {"value": text(value)},
            _("a country name like Syrien or Syria, or a code like SY"),
        )
    return code
