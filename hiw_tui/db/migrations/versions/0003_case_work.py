"""Case work: plans, partners, referrals, outcomes, contacts, exits and check-ins

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:40:20.030369
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("participants", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recontact", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_household_on", ["household_id", "contacted_on"], unique=False
        )

    op.create_table(
        "exit_checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exit_checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exit_checkin_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exit_checkin_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcome_person_id"), ["person_id"], unique=False)

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("agreed_by", sa.Integer(), nullable=True),
        sa.Column("agreed_version", sa.Integer(), nullable=True),
        sa.Column("changed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreed_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("household_id", "person_id", name="uq_plan_owner"),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_household_id"), ["household_id"], unique=False)

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("onward", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "plan_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_goal_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["plan_goal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_step_done_on"), ["done_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_step_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_step_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(
            "ix_plan_step_household_status", ["household_id", "status"], unique=False
        )

    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exit_reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "exit_destination", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "exit_note",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("next_contact_on", sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_household_next_contact_on"), ["next_contact_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_next_contact_on"))
        batch_op.drop_column("next_contact_on")
        batch_op.drop_column("exit_note")
        batch_op.drop_column("exit_destination")
        batch_op.drop_column("exit_reason")

    with op.batch_alter_table("plan_step", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_step_household_status")
        batch_op.drop_index(batch_op.f("ix_plan_step_goal_id"))
        batch_op.drop_index(batch_op.f("ix_plan_step_due_on"))
        batch_op.drop_index(batch_op.f("ix_plan_step_done_on"))

    op.drop_table("plan_step")
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_goal_plan_id"))

    op.drop_table("plan_goal")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_partner_id"))
        batch_op.drop_index(batch_op.f("ix_referral_household_id"))

    op.drop_table("referral")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_household_id"))

    op.drop_table("plan")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_person_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_household_id"))

    op.drop_table("outcome")
    with op.batch_alter_table("exit_checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exit_checkin_household_id"))
        batch_op.drop_index(batch_op.f("ix_exit_checkin_due_on"))

    op.drop_table("exit_checkin")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_household_on")

    op.drop_table("contact")
    op.drop_table("partner")
