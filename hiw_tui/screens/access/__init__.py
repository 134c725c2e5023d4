"""Signing in and the audit trail."""
