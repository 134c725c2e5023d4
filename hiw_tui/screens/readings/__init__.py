"""Star readings: the scoring form and the history with its chart."""
