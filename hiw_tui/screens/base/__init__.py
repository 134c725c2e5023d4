"""What the screens share: the database hand-off (`work`), the forms (`form_base`, saved
by `form` or given back by `local_form`), their fields and the item form, and the case
list."""
