"""How a cluster run cuts its sentences into shards (``workbench.cluster``): whole decoding
batches of a plain run, so that every shard, decoded on its own, gives the plain run's
translations; longest first and balanced by source tokens, so actors finish together."""

from __future__ import annotations

from typing import Any


def default_shard_size(sentences: int, slots: list[dict[str, Any]]) -> int:
    """Sentences per shard: about 8 shards per actor (a slow actor takes fewer, the run's
    tail is short), between 32 and 256 on CPUs (256 and 2,048 on GPUs: larger batches)."""
    low, high = (256, 2048) if any(s.get("num_gpus") for s in slots) else (32, 256)
    return max(low, min(high, -(-sentences // (8 * max(1, len(slots))))))


def plan_shards(engine: Any, texts: list[str], size: int) -> list[list[str]]:
    """The distinct ``texts`` in shards of about ``size``, longest first, such that the engine's
    ``translate_batch`` on each shard forms exactly the batches one call on all ``texts`` does.

    Shards are balanced by cost (source tokens: decoding time grows with them), not by
    sentences: a shard of long sentences has fewer, one of short ones more (at most
    ``2 * size`` unless one batch alone is larger), so actors finish them in similar times.

    A translation can depend (in the last bits of the arithmetic, hence sometimes in a beam
    search's choice) on the other sentences of its batch, so a shard is a union of whole
    batches of the single call: the Argos engine's batching (sentences sorted by length,
    greedy up to a bucket, token and sentence limit) gives, for any union of its batches
    listed in the call's order, the same batches again. An input cut into several pieces
    ties their batches together. Shards of another engine are cut by length.
    """
    distinct = list(dict.fromkeys(texts))
    groups = _batch_groups(engine, distinct)
    if groups is None:
        order = sorted(distinct, key=len, reverse=True)
        return [order[i : i + size] for i in range(0, len(order), size)]
    shards: list[list[str]] = []
    current: list[str] = []
    target = sum(cost for _g, cost in groups) / max(1, -(-len(distinct) // max(1, size)))
    spent = 0
    for group, cost in groups:  # longest batches first: the last shards to finish are short
        if current and (spent + cost > target or len(current) + len(group) > 2 * size):
            shards.append(current)
            current, spent = [], 0
        current.extend(group)
        spent += cost
    if current:
        shards.append(current)
    position = {t: i for i, t in enumerate(distinct)}
    return [sorted(shard, key=position.__getitem__) for shard in shards]  # in the call's order: ties batch alike


def _batch_groups(engine: Any, distinct: list[str]) -> list[tuple[list[str], int]] | None:
    """``distinct`` grouped by the batches of ``engine.translate_batch(distinct)`` (batches tied
    by a cut input are one group), longest first, each with its cost (source tokens); None for
    an engine without Argos batching."""
    batches_of = getattr(engine, "_groups", None)  # the groups its one call queues (CTranslate2 batches within each)
    package = getattr(engine, "package", None)
    if batches_of is None or package is None or not hasattr(engine, "prepare"):
        return None
    try:
        import sentencepiece as spm

        from workbench.engines.argos import split_long

        sp = spm.SentencePieceProcessor(model_file=str(package.tokenizer_path))
        unit_ids: dict[tuple[str, ...], int] = {}
        units: list[list[str]] = []
        parts: list[list[int]] = []
        for text in engine.prepare(distinct):  # as translate_batch does
            ids = []
            for piece in split_long(sp.encode(text, out_type=str), engine.max_input_tokens) if text.strip() else []:
                if tuple(piece) not in unit_ids:
                    unit_ids[tuple(piece)] = len(units)
                    units.append(piece)
                ids.append(unit_ids[tuple(piece)])
            parts.append(ids)
        batches = batches_of(units)
    except Exception:  # noqa: BLE001 - an engine that batches otherwise: shards by length
        return None
    batch_of = {u: b for b, batch in enumerate(batches) for u in batch}
    parent = list(range(max(1, len(batches))))

    def root(b: int) -> int:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for ids in parts:
        for u in ids[1:]:
            a, b = root(batch_of[ids[0]]), root(batch_of[u])
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[str]] = {}
    for text, ids in zip(distinct, parts):
        groups.setdefault(root(batch_of[ids[0]]) if ids else 0, []).append(text)
    costs: dict[int, int] = {}
    for b, batch in enumerate(batches):
        costs[root(b)] = costs.get(root(b), 0) + sum(len(units[u]) for u in batch)
    return [(groups[k], costs.get(k, 0)) for k in sorted(groups)]
