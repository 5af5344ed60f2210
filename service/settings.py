"""Settings, from environment variables (and a `.env` file, if there is one)."""

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the graph is and how the API behaves.

    Without `NEO4J_URI`, actorgraph uses the local server that `actorgraph neo4j start` runs.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    neo4j_uri: str | None = Field(
        default=None, description="Bolt URI of the Neo4j server; unset means the local one."
    )
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = Field(
        default=None,
        description="Password; for the local server, unset means one generated and kept "
        "in .neo4j/server/password.",
    )
    neo4j_database: str = "neo4j"
    actorgraph_api_key: str | None = Field(
        default=None, description="Key for writes (POST /articles); unset means writes are refused."
    )
    actorgraph_cors_origins: list[str] = Field(
        default=[], description='Origins allowed by CORS, as JSON: ["http://localhost:8888"].'
    )
    actorgraph_max_body_bytes: int = Field(
        default=1_000_000, description="Largest request body accepted; larger ones get 413."
    )

    actorgraph_read_rate: float = Field(
        default=20.0,
        ge=0,
        description="Reads (GET) a second each client may make, sustained; 0 turns the "
        "limit off. Past it the API answers 429 with Retry-After.",
    )
    actorgraph_read_burst: int = Field(
        default=200, ge=1, description="Reads a client may make at once before the rate applies."
    )

    @property
    def uses_local_server(self) -> bool:
        return self.neo4j_uri is None


@cache
def get_settings() -> Settings:
    return Settings()
