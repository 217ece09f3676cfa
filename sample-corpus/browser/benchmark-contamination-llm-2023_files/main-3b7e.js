window.__app = {ready: true};
