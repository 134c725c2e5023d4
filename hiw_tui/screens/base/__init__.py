"""What the screens share: the database hand-off (`work`), the form, its fields and the
item form, the case list, and the partner choice."""
