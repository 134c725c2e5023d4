"""Which contacts rest on a consent the person has withdrawn (`consent_withdrawn`)."""

from __future__ import annotations

import pytest

from hiw_tui.domain.casework import consent_withdrawn
from hiw_tui.domain.codes import ConsentPurpose, ContactMode

PHONE, TEXT, EMAIL = (
    ConsentPurpose.CONTACT_PHONE,
    ConsentPurpose.CONTACT_TEXT,
    ConsentPurpose.CONTACT_EMAIL,
)


@pytest.mark.parametrize(
    ("mode", "consents", "withdrawn"),
    [
        (ContactMode.PHONE, ((PHONE, None, False),), True),
        (ContactMode.PHONE, ((PHONE, None, True),), False),
        (ContactMode.PHONE, (), False),  # never asked: nothing withdrawn
        (ContactMode.MESSAGE, ((TEXT, None, False),), False),  # an email may still go
        (ContactMode.MESSAGE, ((TEXT, None, False), (EMAIL, None, False)), True),
        (ContactMode.FACE_TO_FACE, ((PHONE, None, False), (TEXT, None, False)), False),
        (ContactMode.PHONE, ((ConsentPurpose.SHARE_PARTNER, "Food bank", False),), False),
    ],
)
def test_a_contact_rests_on_the_consents_of_its_way(
    mode: ContactMode,
    consents: tuple[tuple[ConsentPurpose, str | None, bool], ...],
    withdrawn: bool,
) -> None:
    assert consent_withdrawn(mode, consents) is withdrawn
