"""A demo cohort that follows the programme's published profile (see hiw_tui.domain.cohort)."""
