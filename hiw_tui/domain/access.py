"""What each role may do: one table, read by the query functions and the screens.

- **Advocates** edit their own caseload and see its sensitive fields.
- **Supervisors** do the same for their local authority, and oversee it: reassign
  households, decide spends, raise caps, import, read the audit trail.
- **Programme managers** do all of that for the whole programme.
- **Auditors** read the whole programme and its audit trail and change nothing; they
  are not shown the special-category fields (see `hiw_tui.domain.sensitive`).
"""

from __future__ import annotations

from enum import StrEnum

from hiw_tui.domain.codes import UserRole


class Permission(StrEnum):
    EDIT = "edit"
    """Change case records, plans, readings and ledgers within scope."""
    OVERSEE = "oversee"
    """A supervisor's powers: reassign, decide spends, raise caps, import."""
    SENSITIVE = "sensitive"
    """See health, domestic abuse, offending and ethnicity."""
    AUDIT_LOG = "audit_log"
    """Browse the audit trail (of the user's own scope)."""
    ALL_AREAS = "all_areas"
    """Scope is the whole programme, not one local authority or caseload."""


ROLE_PERMISSIONS: dict[UserRole, frozenset[Permission]] = {
    UserRole.ADVOCATE: frozenset({Permission.EDIT, Permission.SENSITIVE}),
    UserRole.SUPERVISOR: frozenset(
        {Permission.EDIT, Permission.OVERSEE, Permission.SENSITIVE, Permission.AUDIT_LOG}
    ),
    UserRole.PROGRAMME_MANAGER: frozenset(Permission),
    UserRole.AUDITOR: frozenset({Permission.AUDIT_LOG, Permission.ALL_AREAS}),
}


def role_can(role: UserRole, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
