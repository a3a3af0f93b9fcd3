"""Record the captcha's spoken digits once: `python -m common.make_captcha_audio` (needs espeak-ng).

The portal only reads the files it writes (common/captcha_audio/<lang>/<digit>.wav), so a server or a
`make run` machine needs no speech program. Clips are trimmed of silence and halved to 11 kHz mono to stay small.
"""

import array
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

AUDIO_DIR = Path(__file__).resolve().parent / "captcha_audio"  # read by common.captcha

WORDS = {
    "vi": ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"],
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
}
VOICES = {"vi": "vi", "en": "en-us"}
SILENCE_LEVEL = 300


def record(word: str, voice: str, target: Path) -> None:
    with tempfile.NamedTemporaryFile(suffix=".wav") as raw:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "130", "-w", raw.name, word], check=True)
        with wave.open(raw.name, "rb") as source:
            assert source.getsampwidth() == 2 and source.getnchannels() == 1
            rate = source.getframerate()
            samples = array.array("h", source.readframes(source.getnframes()))
    loud = [i for i, sample in enumerate(samples) if abs(sample) > SILENCE_LEVEL]
    samples = samples[loud[0]: loud[-1] + 1] if loud else samples
    halved = array.array("h", ((samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples) - 1, 2)))
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate // 2)
        out.writeframes(halved.tobytes())


def main() -> None:
    for language, words in WORDS.items():
        for digit, word in enumerate(words):
            record(word, VOICES[language], AUDIO_DIR / language / f"{digit}.wav")
    sys.stdout.write(f"wrote {sum(len(w) for w in WORDS.values())} clips under {AUDIO_DIR}\n")


if __name__ == "__main__":
    main()
