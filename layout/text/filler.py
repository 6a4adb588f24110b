"""Neutral filler text (假文) for templates: ``body: {placeholder: 900}``.

Deterministic (the same length gives the same text), built from plain sentences of
ordinary newspaper prose that name no person or place, so a designer sees the texture of
a real page: punctuation, numbers and quotation marks included.
"""

from __future__ import annotations

_SENTENCES = (
    "本报讯　近日，有关部门召开专题会议，研究部署下一阶段的重点工作。",
    "会议指出，要坚持问题导向，把各项任务落到实处，确保取得实效。",
    "与会人员围绕工作中遇到的难点问题进行了深入交流，并提出了具体建议。",
    "据介绍，今年以来共完成项目12个，投入资金约3.5亿元，同比增长8.6%。",
    "“我们将继续做好服务保障工作，让群众有更多获得感。”一位负责人说。",
    "下一步，将进一步完善工作机制，加强统筹协调，推动各项工作再上新台阶。",
    "活动现场气氛热烈，不少市民驻足观看，并积极参与互动问答环节。",
    "记者了解到，相关措施将于下月起施行，具体办法可登录官方网站查询。",
)
#: Characters per filler paragraph, about; paragraphs end at a sentence end.
PARAGRAPH_CHARS = 160


def filler(chars: int) -> list[str]:
    """Paragraphs of filler text totalling ``chars`` characters exactly."""
    paragraphs: list[str] = []
    current = ""
    total = 0
    index = 0
    while total < chars:
        sentence = _SENTENCES[index % len(_SENTENCES)]
        take = sentence[: chars - total]
        current += take
        total += len(take)
        index += 1
        if len(current) >= PARAGRAPH_CHARS or total >= chars:
            paragraphs.append(current)
            current = ""
    return paragraphs
