"""Case work on the record: plans, referrals, outcomes, contacts, partners, exit, and My
week."""
