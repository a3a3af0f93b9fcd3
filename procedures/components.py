"""Which of a procedure's components a dossier asks for: the one rule the wizard, the receipt and the figures read.

A component belongs to every case when its `case` is blank, else to that case alone; to every channel when its
`channel` is blank. Only an UPLOAD is ever uploaded: a paper to SHOW is brought to the counter (its number typed
online when `asks_number`), a NOTE is guidance. A component with a `condition` is asked only when the citizen
ticked that it applies to them.
"""

from collections.abc import Iterable

from .constants import Channel, ComponentRole


def cases_of(components: Iterable) -> list[str]:
    """Return the procedure's cases in their order (empty when one list serves every dossier)."""
    seen: dict[str, None] = {}
    for component in components:
        if component.case:
            seen.setdefault(component.case, None)
    return list(seen)


def components_for(components: Iterable, *, case: str = "", channel: str = Channel.ONLINE) -> list:
    """Return the components of one case and one channel, every role (uploads, papers to show, notes)."""
    return [
        c for c in components
        if (not c.case or c.case == case) and (not c.channel or c.channel == channel)
    ]


def uploads_asked(components: Iterable, *, case: str = "", channel: str = Channel.ONLINE,
                  applies: Iterable[int] = ()) -> list:
    """Return the components to upload for this case and channel, given the conditions ticked (component ids)."""
    ticked = set(applies)
    return [
        c for c in components_for(components, case=case, channel=channel)
        if c.role == ComponentRole.UPLOAD and (not c.condition or c.pk in ticked)
    ]


def mandatory_uploads(components: Iterable, *, case: str = "", channel: str = Channel.ONLINE,
                      applies: Iterable[int] = ()) -> list:
    """Return the uploads that must have a file before the dossier can be submitted."""
    return [c for c in uploads_asked(components, case=case, channel=channel, applies=applies) if c.is_required]


def lightest_mandatory_uploads(components: Iterable, *, channel: str = Channel.ONLINE) -> int:
    """Return the fewest mandatory uploads of any case, with no condition ticked (the lightest path)."""
    components = list(components)
    cases = cases_of(components) or [""]
    return min(len(mandatory_uploads(components, case=case, channel=channel)) for case in cases)
