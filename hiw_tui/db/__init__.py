"""The data layer: engine, tables, migrations and one query module per entity.

Nothing here imports Textual: the same functions serve the app, the command line and
the tests. Every query function takes the acting user and obeys their scope.
"""
