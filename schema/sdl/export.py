"""Write the SDL of the code's schema: `python -m schema.sdl.export [PATH]` (default schema/schema.graphql)."""

from __future__ import annotations

import sys
from pathlib import Path

from strawberry.printer import print_schema

from schema.root import build_schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def current_sdl() -> str:
    return print_schema(build_schema()) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else SDL_PATH
    target.write_text(current_sdl())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
