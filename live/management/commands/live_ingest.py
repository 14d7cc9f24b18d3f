"""Run nginx-rtmp for live video ingest: RTMP in, HLS and recordings out (make ingest)."""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx-rtmp.conf"
RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


def render_config(site, rtmp_port, run_dir):
    """The nginx configuration for this checkout, written under run_dir; returns its path."""
    for folder in (run_dir, settings.LIVE_HLS_ROOT, settings.LIVE_RECORDINGS_ROOT):
        Path(folder).mkdir(parents=True, exist_ok=True)
    config = TEMPLATE.read_text().format(
        run_dir=run_dir, rtmp_module=RTMP_MODULE, rtmp_port=rtmp_port, site=site.rstrip("/"),
        token=settings.LIVE_RTMP_CALLBACK_TOKEN, hls_root=settings.LIVE_HLS_ROOT,
        recordings_root=settings.LIVE_RECORDINGS_ROOT,
    )
    path = Path(run_dir) / "nginx.conf"
    path.write_text(config)
    return path


class Command(BaseCommand):
    help = "Start nginx-rtmp (Debian's libnginx-mod-rtmp) in the foreground for this site."

    def add_arguments(self, parser):
        parser.add_argument("--site", default=os.environ.get("LIVE_SITE_URL", "http://127.0.0.1:8000"),
                            help="where nginx-rtmp calls the site back (on_publish, on_publish_done)")
        parser.add_argument("--port", type=int, default=settings.LIVE_RTMP_PORT, help="RTMP port")
        parser.add_argument("--run-dir", default=str(Path(settings.BASE_DIR) / "var" / "nginx"))
        parser.add_argument("--config-only", action="store_true", help="write the configuration and stop")

    def handle(self, site, port, run_dir, config_only, **options):
        if not settings.LIVE_RTMP_CALLBACK_TOKEN:
            raise CommandError("Set LIVE_RTMP_CALLBACK_TOKEN: nginx-rtmp's callbacks must carry it.")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not (os.path.exists(nginx) and RTMP_MODULE.exists()):
            raise CommandError("nginx with the RTMP module is missing: run `make system` "
                               "(apt-get install nginx libnginx-mod-rtmp ffmpeg).")
        run_dir = Path(run_dir).resolve()
        config = render_config(site, port, run_dir)
        self.stdout.write(f"RTMP ingest on rtmp://127.0.0.1:{port}/live  (HLS: {settings.LIVE_HLS_ROOT})")
        if config_only:
            self.stdout.write(str(config))
            return
        os.execv(nginx, [nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(config)])
