import { vi } from 'vitest';

/** A small stand-in for the parts of Electron the glue uses; each call is recorded. */
export function makeElectronMock() {
  type Handler = (...args: unknown[]) => unknown;
  const ipcHandlers = new Map<string, Handler>();
  const appEvents = new Map<string, Handler>();
  const powerEvents = new Map<string, Handler>();
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];

  class FakeContents {
    listeners = new Map<string, Handler>();
    openHandler: ((d: { url: string }) => { action: string }) | null = null;
    permissionHandler: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    sent: Array<[string, unknown]> = [];
    destroyed = false;
    mainFrame = { url: 'app://oncall/index.html' };
    checkHandler: (() => boolean) | null = null;
    session = {
      setPermissionRequestHandler: (h: FakeContents['permissionHandler']) => (this.permissionHandler = h),
      setPermissionCheckHandler: (h: () => boolean) => (this.checkHandler = h),
    };
    on(event: string, h: Handler) {
      this.listeners.set(event, h);
      return this;
    }
    setWindowOpenHandler(h: FakeContents['openHandler']) {
      this.openHandler = h;
    }
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    isDestroyed() {
      return this.destroyed;
    }
  }
  class FakeWindow {
    webContents = new FakeContents();
    listeners = new Map<string, Handler>();
    loaded: string | null = null;
    hidden = false;
    constructor(public options: Record<string, unknown>) {
      windows.push(this);
    }
    on(event: string, h: Handler) {
      this.listeners.set(event, h);
    }
    once(event: string, h: Handler) {
      this.listeners.set(event, h);
    }
    loads: string[] = [];
    destroyed = false;
    loadURL(url: string) {
      this.loaded = url;
      this.loads.push(url);
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    icon: string | null = null;
    setIcon(icon: string) {
      this.icon = icon;
    }
    hide() {
      this.hidden = true;
    }
    alwaysOnTop: unknown[] = [];
    setAlwaysOnTop(...args: unknown[]) {
      this.alwaysOnTop = args;
    }
    destroy() {
      this.destroyed = true;
    }
    show() {
      this.hidden = false;
    }
    focus() {}
  }
  class FakeTray {
    image: unknown;
    tooltip = '';
    menu: Array<{ label?: string; click?: () => void; type?: string; enabled?: boolean }> = [];
    listeners = new Map<string, Handler>();
    destroyed = false;
    constructor(image: unknown) {
      this.image = image;
      trays.push(this);
    }
    setImage(i: unknown) {
      this.image = i;
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setContextMenu(m: { items: FakeTray['menu'] }) {
      this.menu = m.items;
    }
    on(e: string, h: Handler) {
      this.listeners.set(e, h);
    }
    destroy() {
      this.destroyed = true;
    }
  }

  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  const module = {
    protocol: {
      registerSchemesAsPrivileged: vi.fn((list: unknown[]) => void schemes.push(...list)),
      handle: (scheme: string, h: (request: { url: string; method: string }) => Promise<Response>) => protocolHandlers.set(scheme, h),
    },
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (items: FakeTray['menu']) => ({ items }) },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    dialog: { showOpenDialog: vi.fn((..._args: unknown[]) => Promise.resolve({ canceled: true, filePaths: [] as string[] })) },
    ipcMain: { handle: (channel: string, h: Handler) => ipcHandlers.set(channel, h) },
    powerMonitor: { on: (e: string, h: Handler) => powerEvents.set(e, h) },
    net: { isOnline: vi.fn(() => true) },
    // a reversible stand-in for the keychain, so tests can tell encrypted files apart
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
      decryptString: (b: Buffer) => Buffer.from(b.toString().replace(/^enc:/, ''), 'base64').toString(),
    },
    globalShortcut: {
      registered: new Map<string, Handler>(),
      register(accel: string, h: Handler) {
        if (accel.includes('Taken')) return false;
        this.registered.set(accel, h);
        return true;
      },
      unregister(accel: string) {
        this.registered.delete(accel);
      },
      unregisterAll() {
        this.registered.clear();
      },
    },
    app: {
      on: (e: string, h: Handler) => appEvents.set(e, h),
      requestSingleInstanceLock: vi.fn(() => true),
      quit: vi.fn(),
      whenReady: () => Promise.resolve(),
      getPath: vi.fn(() => '/tmp'),
      getLocale: () => 'de-DE',
      commandLine: { appendSwitch: vi.fn() },
      setLoginItemSettings: vi.fn(),
    },
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: { invoke: vi.fn(() => Promise.resolve('answer')), on: vi.fn(), removeListener: vi.fn() },
  };
  return { module, ipcHandlers, appEvents, powerEvents, windows, trays, FakeContents, schemes, protocolHandlers };
}
