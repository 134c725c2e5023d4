"""The programme's staff in tests: one user of each role and area."""

from __future__ import annotations

from dataclasses import dataclass

from hiw_tui.db.access.users import add_user
from hiw_tui.db.core.engine import Database
from hiw_tui.db.core.models import UserPublic
from hiw_tui.domain.codes import LocalAuthority, UserRole


@dataclass(frozen=True)
class Staff:
    manager: UserPublic
    liverpool_supervisor: UserPublic
    wirral_supervisor: UserPublic
    ada: UserPublic  # advocate, Liverpool
    ben: UserPublic  # advocate, Liverpool
    cal: UserPublic  # advocate, Wirral
    auditor: UserPublic  # read-only, the whole programme, no sensitive fields


def add_staff(database: Database) -> Staff:
    def user(username: str, role: UserRole, area: LocalAuthority | None = None) -> UserPublic:
        name = username.replace(".", " ").title()
        return database.write(
            add_user, username=username, display_name=name, role=role, local_authority=area
        )

    return Staff(
        manager=user("pat.manager", UserRole.PROGRAMME_MANAGER),
        liverpool_supervisor=user("sam.super", UserRole.SUPERVISOR, LocalAuthority.LIVERPOOL),
        wirral_supervisor=user("wyn.super", UserRole.SUPERVISOR, LocalAuthority.WIRRAL),
        ada=user("ada.adv", UserRole.ADVOCATE, LocalAuthority.LIVERPOOL),
        ben=user("ben.adv", UserRole.ADVOCATE, LocalAuthority.LIVERPOOL),
        cal=user("cal.adv", UserRole.ADVOCATE, LocalAuthority.WIRRAL),
        auditor=user("aud.itor", UserRole.AUDITOR),
    )
