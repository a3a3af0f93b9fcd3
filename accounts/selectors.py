"""Reads for accounts: find an account by what the user typed, the 2025 administrative units."""

from functools import lru_cache

from vietnam_provinces import Province, Ward

from common.collation import vi_sort_key

from .models import User


def user_get_by_identifier(*, identifier: str) -> User | None:
    """Return the account named by an e-mail address (any case) or a CCCD/MST number, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier).first()
    compact = "".join(identifier.split())
    candidates = {compact}
    if len(compact) == 13 and compact.isdigit():  # an MST branch typed without its dash
        candidates.add(f"{compact[:10]}-{compact[10:]}")
    return User.objects.filter(identity_number__in=candidates).first()


def sort_key(name: str) -> tuple:
    """Vietnamese order (Đ after D) of the name without its kind of unit."""
    return vi_sort_key(name.removeprefix("Thành phố ").removeprefix("Phường ").removeprefix("Xã ").removeprefix("Đặc khu "))


@lru_cache(maxsize=1)
def province_choices() -> tuple[tuple[int, str], ...]:
    """Return the 34 provinces and cities of 2025 as (code, name), in alphabetical order."""
    return tuple((int(p.code), p.name) for p in sorted(Province.iter_all(), key=lambda p: sort_key(p.name)))


@lru_cache(maxsize=64)
def commune_choices(*, province_code: int) -> tuple[tuple[int, str], ...]:
    """Return the communes, wards and special zones of one province as (code, name), alphabetically."""
    wards = [w for w in Ward.iter_by_province(province_code)] if province_exists(code=province_code) else []
    return tuple((int(w.code), w.name) for w in sorted(wards, key=lambda w: sort_key(w.name)))


def province_exists(*, code: int) -> bool:
    """Return whether the code is one of the 2025 provinces."""
    return any(c == code for c, _ in province_choices())


def province_name(*, code: int | None) -> str:
    """Return a province's name, or an empty string for no or an unknown code."""
    return dict(province_choices()).get(code, "") if code else ""


def commune_name(*, code: int | None) -> str:
    """Return a commune's name, or an empty string for no or an unknown code."""
    try:
        return Ward.from_code(code).name if code else ""
    except ValueError:
        return ""
