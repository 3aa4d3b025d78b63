"""The room in a browser: the aiohttp server (`server`) and its pages (`static/`).

The only part of facilitate that imports aiohttp (an import contract holds
it to that). It shows what `facilitate.room` builds and changes nothing.
"""
