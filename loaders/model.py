"""The trained relation model: a multinomial logistic regression over readable features.

It ships as JSON in `loaders/data/` (weights by feature name, no pickled code), so that
extraction needs neither scikit-learn nor a download, and every prediction can be explained
by the features that weighed most. `actorgraph train` (loaders/train.py) writes it.
"""

import hashlib
import math
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field

from graph_schema.vocabulary import RelationType
from loaders.features import Features

MODEL_FILE = "relation_model.json"
NO_RELATION = "NONE"


class TrainingRecord(BaseModel):
    """How the model was made, so that it can be made again."""

    articles: int
    examples: int
    regularisation: float
    seed: int
    dev_f1: float | None = None
    """F1 on dev's articles, each extracted by a model fitted without it."""
    cv_f1: float | None = None
    """F1 over train and dev, five-fold cross-validated (see loaders/train.py)."""


class RelationModel(BaseModel):
    classes: list[str]
    """`NONE` and the relation types, in the order of each weight vector."""
    intercepts: list[float]
    weights: dict[str, list[float]]
    threshold: float = Field(ge=0.0, le=1.0)
    """The least probability of a relation type that makes a claim (tuned on dev)."""
    calibration: tuple[float, float] = (1.0, 0.0)
    """Platt scaling (slope, offset on the log-odds), fitted on dev: a regularised model's raw
    probabilities are squeezed towards the prior; these make a probability mean what it says."""
    record: TrainingRecord

    def probabilities(self, features: Features) -> dict[str, float]:
        """The probability of each class, relation types calibrated (`NONE` as fitted)."""
        raw = self.raw_probabilities(features)
        return {c: p if c == NO_RELATION else self.calibrated(p) for c, p in raw.items()}

    def calibrated(self, probability: float) -> float:
        """A raw probability on the calibrated scale."""
        slope, offset = self.calibration
        return _sigmoid(slope * logit(probability) + offset)

    def raw_probabilities(self, features: Features) -> dict[str, float]:
        """The logistic regression's own probabilities, before calibration."""
        scores = list(self.intercepts)
        for name, value in features.items():
            for k, weight in enumerate(self.weights.get(name, ())):
                scores[k] += value * weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def predict(self, features: Features) -> tuple[RelationType, float] | None:
        """The most probable relation type and its probability, if it reaches the threshold.

        `NONE` competes only through the threshold: most pairs are unrelated, so a relation
        can be likely enough to state while `NONE` is still the single likeliest class.
        """
        probabilities = self.probabilities(features)
        best = max(self.relation_types, key=lambda c: probabilities[c])
        if probabilities[best] < self.threshold:
            return None
        return RelationType(best), probabilities[best]

    @property
    def relation_types(self) -> list[str]:
        return [c for c in self.classes if c != NO_RELATION]

    def strongest(self, features: Features, label: str, count: int = 5) -> list[str]:
        """The features that pushed most towards `label`, strongest first."""
        k = self.classes.index(label)
        contributions = [
            (value * self.weights[name][k], name)
            for name, value in features.items()
            if name in self.weights
        ]
        return [name for weight, name in sorted(contributions, reverse=True)[:count] if weight > 0]


def logit(p: float) -> float:
    """Log-odds of a probability, kept finite at 0 and 1."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def shipped_model_path() -> Path:
    """Where the package keeps its model (`actorgraph train` writes it there)."""
    return Path(str(resources.files("loaders").joinpath("data", MODEL_FILE)))


def model_text() -> str | None:
    path = shipped_model_path()
    return path.read_text("utf-8") if path.is_file() else None


@cache
def relation_model() -> RelationModel | None:
    """The shipped model, or None before one was trained."""
    text = model_text()
    return RelationModel.model_validate_json(text) if text is not None else None


def model_version(model: RelationModel) -> str:
    """A short hash of the model's weights and settings: which model scored a claim."""
    return hashlib.sha256(model.model_dump_json().encode("utf-8")).hexdigest()[:12]
