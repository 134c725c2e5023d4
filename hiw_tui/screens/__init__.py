"""The screens, by area: household, readings, casework, ledger, reports, access; base/
holds what they share (the database hand-off, forms, case lists) and dialogs/ the modals.
Each screen owns its layout, its keys and the work its widgets need.

The package imports nothing: the app imports each screen from its module when it is
first needed, so that the sign-in screen is drawn before the data layer is loaded.
"""
