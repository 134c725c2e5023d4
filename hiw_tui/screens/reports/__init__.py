"""The programme reports on screen."""
