"""The password policy (SECURITY.md A3, BSI ORP.4 and APP.3.1): length over
composition rules, no common passwords, slow salted hashes."""

from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation

import lotse.settings as production


def _refused(password: str) -> list[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_passwords_need_twelve_characters_and_no_composition_rules():
    with translation.override("en"):
        assert "at least 12 characters" in " ".join(_refused("Kx7#mQ2!pL9"))  # eleven
    assert _refused("Kx7#mQ2!pL9z") == []
    # Letters alone do, if long enough: no rule asks for digits or symbols.
    assert _refused("flusswiesenlaternenmond") == []
    # Long passphrases are welcome (64 characters and more).
    assert _refused("ein langer satz über den fluss " * 3) == []


def test_common_and_numeric_passwords_are_refused():
    common = next(p for p in CommonPasswordValidator().passwords if len(p) >= 12)
    assert _refused(common)
    assert _refused("123456789012345")
    names = {type(v).__name__ for v in get_default_password_validators()}
    assert {"CommonPasswordValidator", "MinimumLengthValidator"} <= names


def test_passwords_are_stored_with_a_slow_salted_hash():
    # The suite itself hashes fast (tests/settings.py); production does not.
    hashers = production.PASSWORD_HASHERS
    assert hashers[0].endswith(("PBKDF2PasswordHasher", "Argon2PasswordHasher"))
    weak = ("MD5", "SHA1PasswordHasher", "Unsalted", "Crypt")
    assert not [h for h in hashers if any(w in h.rsplit(".", 1)[-1] for w in weak)]
