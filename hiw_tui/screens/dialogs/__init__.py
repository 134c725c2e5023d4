"""Modals used across areas: errors, help, leaving with unsaved work, conflicts, and the
filters of the ledger and the reports."""
