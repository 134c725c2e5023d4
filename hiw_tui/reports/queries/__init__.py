"""The reports' queries: performance and distance travelled (`programme`), the cohort
profile (`cohort`) and spending (`spend`), counted in the database by the rules of
`hiw_tui.domain.counting`."""
