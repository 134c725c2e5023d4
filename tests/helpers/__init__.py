"""What the tests share: dates, staff, factories, the seeded world and Pilot steps.

Fixtures live in the conftest.py files; test modules import helpers from here only.
"""
