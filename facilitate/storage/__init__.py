"""The storage layer: files on disk, and nothing about what is in them.

The repository (`facilitate.archive`) and the journal (`facilitate.live`)
stand on these; each module is one job:

- `paths`: where every file lives (the archive, and beside its real file the
  live journal, the lock, the backups, the export cache), links resolved;
- `files`: writes that a crash cannot tear (temporary file, fsync, replace,
  fsync the folder), private permissions, whole copies;
- `layout`: the archive file's one-record-a-line layout, and `DocTable`, which
  keeps the meetings encoded until one is needed;
- `store`: `ArchiveStorage`, TinyDB's storage over that file (read once,
  atomic whole-file writes, batches, a damaged file never written over);
- `backups`: the rolling backups beside the archive;
- `lock`: one process writes an archive at a time (an operating-system lock);
- `errors`: `ArchiveError`, `StorageError` and a reason for an OS error.

This layer imports nothing else of facilitate (an import contract in
`pyproject.toml` holds it to that): it knows files, not meetings.
"""
