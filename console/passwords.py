"""Password hashing (argon2id) and the minimum strength a staff password must have."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
MIN_LENGTH = 12
# Passwords people reach for first; a longer list belongs in a real deployment's policy.
_COMMON = {
    "password1234",
    "123456789012",
    "qwertyuiop12",
    "matkhau12345",
    "chungtay1234",
    "admin1234567",
}


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def password_problem(password: str, *, username: str = "") -> str | None:
    """Why a password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters"
    if password.lower() in _COMMON or len(set(password)) < 6:
        return "too common or too repetitive"
    if username and username.lower() in password.lower():
        return "must not contain the username"
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        return "use at least three of: lower case, upper case, digits, symbols"
    return None
