"""One module per metric of issue 7; each has `run(settings) -> list[Row]`."""

ORDER = ["startup", "capture", "keypress", "typing", "finish", "history", "export", "timer", "memory", "room", "phones"]
