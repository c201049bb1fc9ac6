#!/usr/bin/python3
"""Render metrics with Debian's graphite-web from a private whisper folder.

    /usr/bin/python3 scripts/graphite-render.py WHISPER_DIR FROM UNTIL [--png FILE [PFROM PUNTIL]] TARGET...

Asks graphite-web's own /render view (through Django's test client: the same URL routing,
view and renderer as its web server, without a listening socket) for each TARGET as
`format=json` over FROM..UNTIL (Unix seconds) and prints Graphite's answer, one JSON document
a line. Then reads the same window straight from the whisper file (python3-whisper, what
whisper-fetch reads) and prints whether Graphite's datapoints are the same numbers; exits 1
when they are not. With --png FILE it also saves `format=png` of every target in one graph (over PFROM..PUNTIL
when given, else FROM..UNTIL).

Nothing outside a temporary folder is read or written: graphite-web's settings come from a
module written there (GRAPHITE_SETTINGS_MODULE; /etc/graphite is not read), its logs and
sqlite database go there, carbonlink is off (only the whisper files are read).
"""
import json
import os
import shutil
import sys
import tempfile

SETTINGS = """\
import os
_tmp = os.environ["SFLOW_DEMO_GRAPHITE_TMP"]
SECRET_KEY = "sflow-demo-private"
STORAGE_DIR = _tmp
WHISPER_DIR = os.environ["SFLOW_DEMO_WHISPER_DIR"]
STANDARD_DIRS = [WHISPER_DIR]
CERES_DIR = os.path.join(_tmp, "ceres")
RRD_DIR = os.path.join(_tmp, "rrd")
INDEX_FILE = os.path.join(_tmp, "index")
LOG_DIR = _tmp
LOG_ROTATION = False
CARBONLINK_HOSTS = []
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.path.join(_tmp, "graphite.db")}}
"""


def main(argv):
    args = argv[1:]
    png = None
    if "--png" in args:
        i = args.index("--png")
        png = args[i + 1]
        j = i + 2
        while j < len(args) and j < i + 4 and args[j].isdigit():
            j += 1
        png_window = [int(a) for a in args[i + 2:j]]
        del args[i:j]
        if len(png_window) not in (0, 2):
            sys.exit(__doc__)
    if len(args) < 4:
        sys.exit(__doc__)
    whisper_dir, start, until, targets = os.path.abspath(args[0]), int(args[1]), int(args[2]), args[3:]

    tmp = tempfile.mkdtemp(prefix="graphite-render.")
    try:
        with open(os.path.join(tmp, "sflow_demo_graphite_settings.py"), "w") as f:
            f.write(SETTINGS)
        sys.path.insert(0, tmp)
        os.environ["SFLOW_DEMO_GRAPHITE_TMP"] = tmp
        os.environ["SFLOW_DEMO_WHISPER_DIR"] = whisper_dir
        os.environ["GRAPHITE_SETTINGS_MODULE"] = "sflow_demo_graphite_settings"
        os.environ["DJANGO_SETTINGS_MODULE"] = "graphite.settings"
        import django
        import whisper
        django.setup()
        from django.test import Client

        client = Client()
        same = True
        for target in targets:
            url = "/render?target=%s&from=%d&until=%d&format=json" % (target, start, until)
            r = client.get("/render", {"target": target, "from": start, "until": until,
                                       "format": "json"})
            if r.status_code != 200:
                print("GET %s: HTTP %d\n%s" % (url, r.status_code, r.content.decode(errors="replace")))
                return 1
            answer = json.loads(r.content)
            print("GET " + url)
            print(json.dumps(answer, separators=(",", ":")))
            path = os.path.join(whisper_dir, *target.split(".")) + ".wsp"
            (w_start, _, w_step), w_values = whisper.fetch(path, start, until)
            from_whisper = [[v, w_start + k * w_step] for k, v in enumerate(w_values)]
            graphite = answer[0]["datapoints"] if answer else []
            ok = graphite == from_whisper and any(v is not None for v, _ in graphite)
            same = same and ok
            print("  %s: %d datapoints, %d not null; the same as whisper's file: %s"
                  % (target, len(graphite), sum(v is not None for v, _ in graphite),
                     "yes" if ok else "NO (whisper: %s)" % from_whisper if graphite != from_whisper
                     else "NO (no values in the window)"))
        if png:
            query = [("target", t) for t in targets] + [
                ("from", png_window[0] if png_window else start),
                ("until", png_window[1] if png_window else until), ("format", "png"),
                ("width", 640), ("height", 300), ("title", "sflow-collector -> carbon -> graphite-web")]
            from urllib.parse import urlencode
            r = client.get("/render?" + urlencode(query))
            if r.status_code != 200 or r["Content-Type"] != "image/png":
                print("PNG render: HTTP %d %s" % (r.status_code, r["Content-Type"]))
                return 1
            with open(png, "wb") as f:
                f.write(r.content)
            print("PNG (%d bytes, graphite-web's render of %s): %s" % (len(r.content), ", ".join(targets), png))
        return 0 if same else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
