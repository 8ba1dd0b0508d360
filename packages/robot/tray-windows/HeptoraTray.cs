// heptora-tray.exe: the Heptora robot's icon in the Windows notification area. A NotifyIcon with a
// context menu, nothing else: the robot daemon starts it, sends it the menu over stdin and reads
// the clicks on stdout (TrayProtocol.cs). It exits when told `quit` and when stdin closes, which
// is what happens when the daemon dies. It takes no arguments, reads no file, opens no network
// connection and never carries a secret: only a status line, a tooltip and menu labels.
// Built for .NET Framework 4 (on every Windows 10/11) as a /target:winexe: no console window.
using System;
using System.Collections.Generic;
using System.Drawing;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Windows.Forms;

namespace Heptora.Tray
{
    static class Program
    {
        [STAThread]
        static int Main(string[] args)
        {
            if (args.Length != 0)
            {
                Console.Error.WriteLine("heptora-tray takes no arguments: the Heptora robot starts it and talks to it over stdin and stdout.");
                return 2;
            }
            var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            output.NewLine = "\n";
            output.AutoFlush = true;
            var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false, false));
            Application.EnableVisualStyles();
            Application.SetCompatibleTextRenderingDefault(false);
            var app = new TrayApp(input, output);
            Application.Run(app);
            output.Flush();
            // Under Mono (the tests on Linux), the runtime's shutdown can wait forever for the stdin
            // thread blocked in read(2); .NET Framework ends background threads at once. So under
            // Mono the process ends here, everything written.
            if (Type.GetType("Mono.Runtime") != null) PosixExit(app.ExitCode);
            return app.ExitCode;
        }

        [DllImport("libc", EntryPoint = "_exit")]
        static extern void PosixExit(int code);
    }

    /// <summary>The icon, its menu, and the loop that applies the daemon's lines on the UI thread.</summary>
    sealed class TrayApp : ApplicationContext
    {
        readonly TextReader input;
        readonly TextWriter output;
        readonly object writeLock = new object();
        readonly Control uiThread;
        readonly NotifyIcon icon;
        readonly ContextMenuStrip menu;
        readonly ToolStripMenuItem statusItem;
        readonly Dictionary<string, ToolStripMenuItem> items = new Dictionary<string, ToolStripMenuItem>();
        bool greeted;
        bool closing;
        public int ExitCode;

        public TrayApp(TextReader input, TextWriter output)
        {
            this.input = input;
            this.output = output;
            uiThread = new Control();
            uiThread.CreateControl();
            IntPtr unused = uiThread.Handle; // the handle BeginInvoke posts to, made on this thread
            menu = new ContextMenuStrip();
            statusItem = new ToolStripMenuItem();
            statusItem.Enabled = false;
            icon = new NotifyIcon();
            icon.Icon = LoadIcon();
            icon.Text = "Heptora";
            icon.ContextMenuStrip = menu;
            icon.DoubleClick += delegate { OpenSecretsOnDoubleClick(); };
            var reader = new Thread(ReadLoop);
            reader.IsBackground = true;
            reader.Name = "stdin";
            reader.Start();
        }

        static Icon LoadIcon()
        {
            Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Heptora.ico");
            if (stream == null) return SystemIcons.Application;
            using (stream) return new Icon(stream, SystemInformation.SmallIconSize);
        }

        // The reader thread only reads; every line is handled on the UI thread, in order.
        void ReadLoop()
        {
            var line = new StringBuilder();
            bool tooLong = false;
            try
            {
                while (true)
                {
                    int c = input.Read();
                    if (c < 0) break;
                    if (c == '\n')
                    {
                        if (tooLong) Post(delegate { Emit("error", "too-long", "a line is longer than " + TrayProtocol.MaxLineChars); });
                        else
                        {
                            string text = line.ToString();
                            Post(delegate { Handle(text); });
                        }
                        line.Length = 0;
                        tooLong = false;
                    }
                    else if (!tooLong)
                    {
                        if (line.Length >= TrayProtocol.MaxLineChars)
                        {
                            tooLong = true;
                            line.Length = 0;
                        }
                        else line.Append((char)c);
                    }
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
            // stdin closed: the daemon is gone (or let go of us). A partial last line is dropped.
            Post(delegate { Shutdown(0); });
        }

        void Post(MethodInvoker action)
        {
            try
            {
                uiThread.BeginInvoke(action);
            }
            catch (InvalidOperationException) { }
        }

        void Emit(params string[] fields)
        {
            if (closing) return;
            lock (writeLock)
            {
                try
                {
                    output.Write(TrayProtocol.FormatLine(fields) + "\n");
                }
                catch (IOException)
                {
                    Shutdown(0); // nobody reads us any more
                }
                catch (ObjectDisposedException)
                {
                    Shutdown(0);
                }
            }
        }

        void Handle(string line)
        {
            if (closing) return;
            try
            {
                string[] fields = TrayProtocol.ParseLine(line);
                string command = fields[0];
                if (command == "hello")
                {
                    Arity(fields, 2);
                    if (fields[1] != TrayProtocol.Version.ToString())
                    {
                        Emit("error", "unsupported-version", "this helper speaks version " + TrayProtocol.Version);
                        Shutdown(3);
                        return;
                    }
                    greeted = true;
                    Emit("ready", TrayProtocol.Version.ToString());
                    return;
                }
                if (!greeted) throw new ProtocolException("not-ready", "the first line must be hello");
                switch (command)
                {
                    case "state":
                        Apply(TrayProtocol.ParseState(fields));
                        Emit("shown");
                        break;
                    case "click":
                        Arity(fields, 2);
                        Click(fields[1]);
                        break;
                    case "describe":
                        Arity(fields, 1);
                        Describe();
                        break;
                    case "quit":
                        Arity(fields, 1);
                        Shutdown(0);
                        break;
                    default:
                        throw new ProtocolException("unknown-command", "no such command");
                }
            }
            catch (ProtocolException e)
            {
                Emit("error", e.Code, e.Message);
            }
            catch (Exception e)
            {
                Emit("error", "internal", e.GetType().Name + ": " + e.Message);
            }
        }

        static void Arity(string[] fields, int count)
        {
            if (fields.Length != count) throw new ProtocolException("bad-arity", fields[0] + " takes " + (count - 1) + " field(s)");
        }

        void Apply(TrayStateSpec state)
        {
            menu.SuspendLayout();
            menu.Items.Clear();
            items.Clear();
            statusItem.Text = TrayProtocol.MenuText(state.Status);
            menu.Items.Add(statusItem);
            menu.Items.Add(new ToolStripSeparator());
            foreach (MenuItemSpec spec in state.Items)
            {
                if (spec.Action == "quit" && menu.Items.Count > 2) menu.Items.Add(new ToolStripSeparator());
                // Built explicitly: Items.Add("-") would make a label of "-" a separator.
                var item = new ToolStripMenuItem(TrayProtocol.MenuText(spec.Label));
                item.Enabled = spec.Enabled;
                item.Tag = spec.Action;
                string action = spec.Action;
                item.Click += delegate { Emit("action", action); };
                menu.Items.Add(item);
                items[action] = item;
            }
            menu.ResumeLayout();
            icon.Text = TrayProtocol.FitText(TrayProtocol.DisplayText(state.Tooltip), TrayProtocol.MaxTooltipChars);
            icon.Visible = true;
        }

        // What a click on the menu item does, for the daemon's tests (TrayProtocol.cs, ADR 0064):
        // whoever writes to our stdin is the daemon itself, so this lets it hear back only what it
        // could make any desktop program of the same user do by clicking.
        void Click(string action)
        {
            if (!TrayProtocol.IsAction(action)) throw new ProtocolException("unknown-action", "no such action");
            ToolStripMenuItem item;
            if (!items.TryGetValue(action, out item)) throw new ProtocolException("no-such-item", "the menu has no such item");
            if (!item.Enabled) throw new ProtocolException("disabled", "the item is disabled");
            item.PerformClick();
        }

        void OpenSecretsOnDoubleClick()
        {
            ToolStripMenuItem item;
            if (items.TryGetValue("secrets", out item) && item.Enabled) Emit("action", "secrets");
        }

        // The menu as the controls hold it: status, tooltip, then action, enabled, text per item.
        void Describe()
        {
            var fields = new List<string>();
            fields.Add("menu");
            fields.Add(statusItem.Text ?? "");
            fields.Add(icon.Text ?? "");
            foreach (ToolStripItem item in menu.Items)
            {
                var action = item.Tag as string;
                if (action == null) continue;
                fields.Add(action);
                fields.Add(item.Enabled ? "1" : "0");
                fields.Add(item.Text ?? "");
            }
            Emit(fields.ToArray());
        }

        void Shutdown(int code)
        {
            if (closing) return;
            closing = true;
            ExitCode = code;
            icon.Visible = false; // else Windows keeps a dead icon until the mouse passes over it
            icon.Dispose();
            menu.Dispose();
            ExitThread();
        }
    }
}
