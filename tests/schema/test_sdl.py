from schema.sdl.export import SDL_PATH, current_sdl


def test_committed_sdl_matches_the_code() -> None:
    assert SDL_PATH.read_text() == current_sdl(), (
        "schema/schema.graphql is out of date: run `python -m schema.sdl.export`"
    )
