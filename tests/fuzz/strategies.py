"""What the fuzz tests send: the values a person, a script or a broken gateway may produce."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])

# Text a person or a script may type or paste: any Unicode (control characters, NUL, RTL marks,
# combining marks, emoji), very long values, and values that look like markup or SQL.
any_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(["", " ", "\x00", "' OR 1=1 --", "<script>alert(1)</script>", "%00", "../../etc/passwd",
                     "٠١٢٣٤٥٦٧٨٩٠١", "０６２３０１１２３４５６", "e\u0301", "\u202e", "9" * 5000]),
    st.integers().map(str),
)
# A form field may also arrive several times, or not at all.
field_value = st.one_of(any_text, st.lists(any_text, min_size=2, max_size=3), st.none())
# Values far beyond any field's size.
huge_text = st.sampled_from(["9" * 5000, "x" * 60_000, "😀" * 10_000, "\x00" * 3000, "Đ" * 25_000])

# JSON of any shape, and the wrong types a gateway or a script may put where a number or a string belongs.
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**30),
                        st.floats(allow_nan=False, allow_infinity=False), any_text)
any_json = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(any_text, inner, max_size=3)),
                        max_leaves=8)


def post_data(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` applied; a None override removes the field."""
    data = dict(base)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
