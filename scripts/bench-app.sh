#!/usr/bin/env bash
# The UI's JavaScript as shipped, gzipped: what the app loads at start (the entry chunk and every
# chunk it imports statically), then each chunk it fetches on demand, read from Vite's manifest;
# then the CSS and the test-only mock backend (loaded in a plain browser only, never in the app).
# Then memory and start-up side by side with an empty Tauri app (bench/empty-app), measured the
# same way below.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}

(cd "$root/ui" && node -e '
  const fs = require("fs"), zlib = require("zlib");
  const GOAL_KIB = 40;
  const manifest = JSON.parse(fs.readFileSync("dist/.vite/manifest.json", "utf8"));
  const gz = (file) => zlib.gzipSync(fs.readFileSync("dist/" + file), { level: 9 }).length;
  const kb = (n) => (n / 1024).toFixed(1) + " KiB";
  // A chunk and everything it imports statically: loaded together.
  const closure = (keys, into = new Set()) => {
    for (const k of keys) if (!into.has(k)) { into.add(k); closure(manifest[k].imports ?? [], into); }
    return into;
  };
  const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry);
  const atStart = closure(entries);
  const isMock = (k) => /(^|\/)mock[-.]/.test(k);
  const dynamic = Object.keys(manifest).filter((k) => manifest[k].isDynamicEntry);
  const mock = closure(dynamic.filter(isMock));
  const onDemand = closure(dynamic.filter((k) => !isMock(k)));
  for (const k of atStart) { mock.delete(k); onDemand.delete(k); }
  for (const k of onDemand) mock.delete(k);
  const js = (k) => manifest[k].file.endsWith(".js");
  const line = (k) => `    ${manifest[k].file.replace("assets/", "").padEnd(28)} ${kb(gz(manifest[k].file)).padStart(9)}  (${manifest[k].src ?? k})`;
  const start = [...atStart].filter(js);
  const total = start.reduce((n, k) => n + gz(manifest[k].file), 0);
  console.log(`UI JavaScript at start, gzipped: ${kb(total)} (goal ≤ ${GOAL_KIB} KiB)${total > GOAL_KIB * 1024 ? "  OVER THE GOAL" : ""}`);
  for (const k of start) console.log(line(k));
  console.log("  on demand, each when first needed:");
  for (const k of [...onDemand].filter(js)) console.log(line(k));
  const css = fs.readdirSync("dist/assets").filter((f) => f.endsWith(".css"));
  console.log(`  CSS, gzipped: ${kb(css.reduce((n, f) => n + gz("assets/" + f), 0))}`);
  const mockJs = [...mock].filter(js);
  console.log(`  test-only mock backend, never loaded in the app: ${kb(mockJs.reduce((n, k) => n + gz(manifest[k].file), 0))}`);
')

cargo build --release --locked -p meldcode-app -p meldcode-bench-empty-app --quiet
meldcode="$target/release/meldcode-app"
empty="$target/release/meldcode-bench-empty-app"

# Meldcode side by side with an empty Tauri 2 app (bench/empty-app: the same Tauri, wry and
# WebKitGTK from the one Cargo.lock, one window of Meldcode's size, a page with one heading), both
# release builds, measured the same way in the same run. Each launch gets a fresh Xvfb, a fresh
# data folder (MELDCODE_DATA_DIR) and fresh XDG folders (WebKit starts without caches), inside one
# private D-Bus session with gnome-keyring (Meldcode needs the Secret Service). Each app is launched
# once to warm the file cache and the session (not counted), then three times, alternating, so
# that load from elsewhere on the machine falls on both alike; the medians are printed.
#
# Start-up is read off the screen, the same way for both apps and with no code in either: a
# poller (Python with ctypes on libX11, so no extra package) reads the app's top-level window's
# area back from the X server every 50 ms (XGetImage, as `xwd -root` does).
# - First paint: the first read in which that area is no longer one colour. GTK maps the window
#   in one colour and WebKit clears it to the page's background, so this is the first text drawn
#   (the empty app's heading "Leeg"; Meldcode's emergency bar and its "Even geduld…" line).
# - First screen painted (the goal): the last change before the area then stays unchanged for
#   2 s: the empty app's heading; Meldcode's first screen (first-run set-up or the lock screen),
#   after the UI has asked the shell what to show.
# Resolution: 50 ms plus one read (a few ms). The poller stops before the memory is measured.
#
# Memory, 10 s after launch: RSS of the app process, and RSS and PSS summed over it and all its
# descendants (WebKit's web and network processes). RSS counts shared libraries once per process;
# PSS shares each page out among the processes that map it, so PSS sums honestly. But PSS also
# shares pages out with other programs on the machine that map the same libraries (another
# WebKitGTK app, a test run), so it drops while they run; the last figure counts every physical
# page the app's processes map exactly once (from /proc/PID/pagemap, as root): the app's PSS as if
# it were alone on the machine, which does not move with what else runs.
#
# BENCH_VERBOSE=1 also prints every launch and every process; BENCH_MELDCODE_ENV="VAR=value ..."
# sets variables for Meldcode's launches only (to try a WebKit setting without a rebuild).
if ! dpkg -s python3 >/dev/null 2>&1; then
  echo "bench: installing python3"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3
fi

# The report goes to fd 3; the session's chatter (D-Bus activating the accessibility bus) to a
# log that is shown only when something fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! bash "$root/scripts/with-keyring.sh" /usr/bin/python3 - "$meldcode" "$empty" 3>&1 >"$log" 2>&1 <<'PY'; then
import ctypes as C, os, shutil, signal, statistics, struct, subprocess, sys, tempfile, time

MELDCODE, EMPTY = sys.argv[1], sys.argv[2]
RUNS, MEASURE_AT, POLL, QUIET = 3, 10.0, 0.05, 2.0
report = os.fdopen(3, "w", buffering=1)
VERBOSE = bool(os.environ.get("BENCH_VERBOSE"))  # each launch and each process, as they come

X = C.CDLL("libX11.so.6")
class XImage(C.Structure):  # the leading fields of Xlib's XImage, all that is read here
    _fields_ = [("width", C.c_int), ("height", C.c_int), ("xoffset", C.c_int),
                ("format", C.c_int), ("data", C.c_void_p), ("byte_order", C.c_int),
                ("bitmap_unit", C.c_int), ("bitmap_bit_order", C.c_int),
                ("bitmap_pad", C.c_int), ("depth", C.c_int), ("bytes_per_line", C.c_int),
                ("bits_per_pixel", C.c_int)]
class XWindowAttributes(C.Structure):
    _fields_ = [("x", C.c_int), ("y", C.c_int), ("width", C.c_int), ("height", C.c_int),
                ("border_width", C.c_int), ("depth", C.c_int), ("visual", C.c_void_p),
                ("root", C.c_ulong), ("class_", C.c_int), ("bit_gravity", C.c_int),
                ("win_gravity", C.c_int), ("backing_store", C.c_int),
                ("backing_planes", C.c_ulong), ("backing_pixel", C.c_ulong),
                ("save_under", C.c_int), ("colormap", C.c_ulong), ("map_installed", C.c_int),
                ("map_state", C.c_int), ("all_event_masks", C.c_long),
                ("your_event_mask", C.c_long), ("do_not_propagate_mask", C.c_long),
                ("override_redirect", C.c_int), ("screen", C.c_void_p)]
X.XOpenDisplay.restype = C.c_void_p
X.XOpenDisplay.argtypes = [C.c_char_p]
X.XDefaultRootWindow.restype = C.c_ulong
X.XDefaultRootWindow.argtypes = [C.c_void_p]
X.XQueryTree.argtypes = [C.c_void_p, C.c_ulong, C.POINTER(C.c_ulong), C.POINTER(C.c_ulong),
                         C.POINTER(C.POINTER(C.c_ulong)), C.POINTER(C.c_uint)]
X.XGetWindowAttributes.argtypes = [C.c_void_p, C.c_ulong, C.POINTER(XWindowAttributes)]
X.XGetImage.restype = C.POINTER(XImage)
X.XGetImage.argtypes = [C.c_void_p, C.c_ulong, C.c_int, C.c_int, C.c_uint, C.c_uint,
                        C.c_ulong, C.c_int]
X.XDestroyImage.argtypes = [C.POINTER(XImage)]
X.XFree.argtypes = [C.c_void_p]
X.XCloseDisplay.argtypes = [C.c_void_p]
# A window that goes away between listing and reading is not an error worth dying for.
ERROR_HANDLER = C.CFUNCTYPE(C.c_int, C.c_void_p, C.c_void_p)(lambda d, e: 0)
X.XSetErrorHandler(ERROR_HANDLER)
IS_VIEWABLE, Z_PIXMAP, ALL_PLANES = 2, 2, 0xFFFFFFFF

def app_window(dpy, root):
    """The mapped top-level window (there is no window manager: a child of the root)."""
    r, p, kids, n = C.c_ulong(), C.c_ulong(), C.POINTER(C.c_ulong)(), C.c_uint()
    if not X.XQueryTree(dpy, root, C.byref(r), C.byref(p), C.byref(kids), C.byref(n)):
        return None
    found = None
    for i in range(n.value):
        a = XWindowAttributes()
        if (X.XGetWindowAttributes(dpy, kids[i], C.byref(a)) and a.map_state == IS_VIEWABLE
                and not a.override_redirect and a.width >= 200 and a.height >= 200):
            found = (max(a.x, 0), max(a.y, 0), a.width, a.height)
    if kids:
        X.XFree(kids)
    return found

def pixels(dpy, root, area):
    """The colour bytes of the area as shown on the screen, without padding."""
    x, y, w, h = area
    img = X.XGetImage(dpy, root, x, y, w, h, ALL_PLANES, Z_PIXMAP)
    if not img:
        return None
    i = img.contents
    data = C.string_at(i.data, i.bytes_per_line * i.height)
    step = i.bits_per_pixel // 8
    X.XDestroyImage(img)
    if i.bytes_per_line != w * step:
        data = b"".join(data[r * i.bytes_per_line:][:w * step] for r in range(h))
    return data, step

def one_colour(data, step):
    # The colour channels only: the fourth byte of a 32-bit pixel is padding.
    n = len(data) // step
    return all(data[c::step] == data[c:c + 1] * n for c in range(min(step, 3)))

def descendants(pid):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out

def kib(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def pages_once(pids):
    """KiB of the physical pages mapped by any of `pids`, each page counted once."""
    present, pfn = 1 << 63, (1 << 55) - 1
    pages = set()
    for pid in pids:
        try:
            fd = os.open(f"/proc/{pid}/pagemap", os.O_RDONLY)
            try:
                with open(f"/proc/{pid}/smaps") as f:
                    vma = None
                    for line in f:
                        head = line.split(None, 1)[0]
                        if "-" in head and not head.endswith(":"):
                            vma = [int(v, 16) // 4096 for v in head.split("-")]
                        elif head == "Rss:" and vma and int(line.split()[1]) > 0:
                            buf = os.pread(fd, (vma[1] - vma[0]) * 8, vma[0] * 8)
                            pages.update(e & pfn for e in struct.unpack(f"{len(buf) // 8}Q", buf)
                                         if e & present)
            finally:
                os.close(fd)
        except OSError:
            pass
    pages.discard(0)  # PFNs read as 0 without CAP_SYS_ADMIN
    return len(pages) * os.sysconf("SC_PAGE_SIZE") // 1024

def launch(binary, measure):
    """One launch on a fresh display and in fresh folders: start-up times and memory."""
    work = tempfile.mkdtemp(prefix="meldcode-bench-")
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                "XDG_RUNTIME_DIR"):
        os.makedirs(f"{work}/{var}", mode=0o700)
        env[var] = f"{work}/{var}"
    env["MELDCODE_DATA_DIR"] = f"{work}/data"
    if binary == MELDCODE:  # to try a setting on Meldcode alone, e.g. a WebKit variable
        env.update(kv.split("=", 1) for kv in os.environ.get("BENCH_MELDCODE_ENV", "").split())
    rfd, wfd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(wfd), "-screen", "0", "1024x1280x24",
                             "-nolisten", "tcp", "-br"], pass_fds=[wfd],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(wfd)
    with os.fdopen(rfd) as f:
        env["DISPLAY"] = ":" + f.readline().strip()
    dpy = X.XOpenDisplay(env["DISPLAY"].encode()) if env["DISPLAY"] != ":" else None
    if not dpy:
        xvfb.kill()
        sys.exit("Xvfb did not start")
    root = X.XDefaultRootWindow(dpy)
    log = open(f"{work}/app.log", "w+")
    app, result = None, {}
    try:
        t0 = time.monotonic()
        app = subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL, stdout=log,
                               stderr=log)
        tick, last = t0, None
        while app.poll() is None and tick - t0 < MEASURE_AT:
            now = time.monotonic()
            area = app_window(dpy, root)
            shown = area and pixels(dpy, root, area)
            if shown and (area, shown[0]) != last:
                if "paint" in result or not one_colour(*shown):
                    result.setdefault("paint", now - t0)
                    result["screen"] = now - t0
                last = (area, shown[0])
            elif "screen" in result and now - t0 - result["screen"] >= QUIET:
                break
            tick += POLL
            time.sleep(max(0.0, tick - time.monotonic()))
        if app.poll() is not None:
            raise RuntimeError(f"exited ({app.returncode}) during the measurement")
        if "paint" not in result:
            raise RuntimeError(f"nothing painted within {MEASURE_AT:.0f} s")
        if measure:
            time.sleep(max(0.0, t0 + MEASURE_AT - time.monotonic()))
            procs = [app.pid] + descendants(app.pid)
            result["rss"] = kib(f"/proc/{app.pid}/status", "VmRSS")
            result["rss_all"] = sum(kib(f"/proc/{p}/status", "VmRSS") for p in procs)
            result["pss_all"] = sum(kib(f"/proc/{p}/smaps_rollup", "Pss") for p in procs)
            result["once"] = pages_once(procs)
            if VERBOSE:
                for p in procs:
                    try:
                        name = open(f"/proc/{p}/comm").read().strip()
                    except OSError:
                        continue
                    print(f"    {name:16} RSS {kib(f'/proc/{p}/status', 'VmRSS') // 1024:4} MiB, "
                          f"PSS {kib(f'/proc/{p}/smaps_rollup', 'Pss') // 1024:4} MiB", file=report)
        return result
    except RuntimeError as e:
        log.seek(0)
        sys.exit(f"{binary}: {e}\n{log.read()[-3000:]}")
    finally:
        if app:
            rest = descendants(app.pid)
            app.terminate()
            try:
                app.wait(5)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
            for p in rest:  # WebKit's processes, should they outlive the app
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        log.close()
        X.XCloseDisplay(dpy)
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(work, ignore_errors=True)

apps = {"meldcode": MELDCODE, "empty": EMPTY}
for binary in apps.values():
    launch(binary, measure=False)
runs = {name: [] for name in apps}
for _ in range(RUNS):
    for name, binary in apps.items():
        runs[name].append(launch(binary, measure=True))
        if VERBOSE:
            print(f"  {name}: " + ", ".join(f"{k} {v:.2f} s" if k in ("paint", "screen")
                  else f"{k} {v // 1024} MiB" for k, v in runs[name][-1].items()), file=report)

def line(title, key, goal=None):
    m = statistics.median(r[key] for r in runs["meldcode"])
    e = statistics.median(r[key] for r in runs["empty"])
    if key in ("paint", "screen"):
        m_text, e_text = f"{m:.2f} s", f"{e:.2f} s"
    else:
        m_text, e_text = f"{m / 1024:.0f} MiB", f"{e / 1024:.0f} MiB"
    if not e:
        return  # the page count needs root (PFNs read as 0 otherwise)
    over = "  OVER THE GOAL" if goal and m / e > goal else ""
    goal = f" (goal ≤ {goal}×)" if goal else ""
    print(f"{title}: Meldcode {m_text}, empty Tauri app {e_text} → {m / e:.2f}×{goal}{over}",
          file=report)

print(f"Meldcode against an empty Tauri app (release builds; median of {RUNS} launches each, "
      "fresh display and data folder):", file=report)
line("App memory 10 s after start, PSS with WebKit's processes", "pss_all", 1.2)
line("Start-up to first screen painted", "screen", 1.5)
line("  first paint (the first text drawn)", "paint")
line("  memory: RSS of the app process alone", "rss")
line("  memory: RSS with WebKit's processes", "rss_all")
line("  memory: PSS with WebKit's processes, each page once (as if alone on the machine)", "once")
PY
  cat "$log" >&2
  exit 1
fi
