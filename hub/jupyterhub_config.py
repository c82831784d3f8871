"""The JupyterHub that tests/browser/test_hub.py runs on loopback: real Unix users, each with their own server.

Read with ``jupyterhub -f hub/jupyterhub_config.py``; everything that changes from run to run comes from the
environment (tests/browser/test_hub.py sets it):

    NNLIB_HUB_ROOT       what `make hub` installed: env/ (the single-user environment) and proxy/
    NNLIB_HUB_STATE      a folder only root can read: the hub's database, cookie secret and proxy pid file
    NNLIB_HUB_PORTS      three free loopback ports: the public one, the hub's own, the proxy's API
    NNLIB_HUB_USERS      the instructor, then the students, separated by spaces (Unix users that exist)
    NNLIB_HUB_PASSWORD   the one password of the test's users (JupyterHub's `dummy` authenticator)

On a class's own hub, TLJH or Zero to JupyterHub write this file for you (docs/instructor_guide.md, "A class on
JupyterHub"); what matters here is the same there: each user's server runs as that user (LocalProcessSpawner),
so nbgrader's exchange works by Unix permissions, and the hub listens on 127.0.0.1 only.
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub's config loader defines get_config)

root = Path(os.environ["NNLIB_HUB_ROOT"])
state = Path(os.environ["NNLIB_HUB_STATE"])
public, hub, proxy_api = os.environ["NNLIB_HUB_PORTS"].split()
instructor, *students = os.environ["NNLIB_HUB_USERS"].split()

c.JupyterHub.bind_url = f"http://127.0.0.1:{public}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(hub)
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [str(root / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["NNLIB_HUB_PASSWORD"]
c.Authenticator.allowed_users = {instructor, *students}
c.Authenticator.admin_users = {instructor}

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(root / "env" / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"PATH": f"{root / 'env' / 'bin'}:/usr/local/bin:/usr/bin:/bin"}
c.Spawner.start_timeout = 180  # a first start on a busy 2-core machine
c.Spawner.http_timeout = 180
