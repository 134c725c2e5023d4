"""The support budget: the register, spends, reversals, caps and the approvals queue."""
