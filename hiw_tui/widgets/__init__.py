"""Reusable widgets: they take attributes and post messages; screens coordinate them.

Import each from its module: the package imports nothing, so that the sign-in screen
can be drawn before the widgets that need the data layer are loaded."""
