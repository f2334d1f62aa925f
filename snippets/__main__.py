"""python -m snippets TOPIC [OUTDIR]: run the experiments of one page (snippets/experiments/TOPIC.py)
with fixed seeds, write its figures into OUTDIR (default build/TOPIC) and print the numbers the page shows."""
import importlib
import sys
from pathlib import Path

TOPICS = sorted(p.stem for p in (Path(__file__).parent / 'experiments').glob('*.py') if p.stem != '__init__')


def main(argv):
    if not argv or argv[0] not in TOPICS:
        sys.exit(f'usage: python -m snippets TOPIC [OUTDIR]\nTOPIC is one of: {", ".join(TOPICS)}')
    topic = argv[0]
    outdir = Path(argv[1]) if len(argv) > 1 else Path('build') / topic
    numbers = importlib.import_module(f'snippets.experiments.{topic}').report(outdir)
    for key, value in numbers.items():
        print(f'{key}:\n{value}' if isinstance(value, str) and '\n' in value else f'{key}: {value}')
    print(f'figures: {outdir}/')


if __name__ == '__main__':
    main(sys.argv[1:])
