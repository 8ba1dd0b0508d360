// The line protocol between the Heptora robot daemon and this tray helper, version 1, without any
// UI so that it reads as the spec. The TypeScript twin is packages/robot/src/tray/windows/
// tray-protocol.ts; docs/adr/0064-windows-tray-helper.md describes both.
//
// One line = fields separated by TAB, ended by LF, UTF-8. In a field, '%', every C0 control
// (TAB, LF, CR included) and DEL are written %XX (two upper-case hex digits); nothing else is
// escaped and nothing else may be. So a status text with a newline or a tab stays inside its
// field: it can never end the line or start a command.
using System;
using System.Collections.Generic;
using System.Text;

namespace Heptora.Tray
{
    /// <summary>A line the helper refuses: Code is the word sent back in the error event.</summary>
    public sealed class ProtocolException : Exception
    {
        public readonly string Code;

        public ProtocolException(string code, string detail) : base(detail)
        {
            Code = code;
        }
    }

    public sealed class MenuItemSpec
    {
        public string Action;
        public bool Enabled;
        public string Label;
    }

    public sealed class TrayStateSpec
    {
        public string Status;
        public string Tooltip;
        public List<MenuItemSpec> Items = new List<MenuItemSpec>();
    }

    public static class TrayProtocol
    {
        public const int Version = 1;
        /// <summary>Longest line read, in UTF-16 units; a longer one is dropped whole.</summary>
        public const int MaxLineChars = 16384;
        public const int MaxStatusChars = 256;
        public const int MaxLabelChars = 128;
        public const int MaxItems = 8;
        /// <summary>NotifyIcon.Text throws above 63 characters on .NET Framework 4.</summary>
        public const int MaxTooltipChars = 63;

        public static readonly string[] Actions = { "secrets", "settings", "logout", "quit" };

        static bool MustEscape(char c)
        {
            return c < (char)0x20 || c == (char)0x7F || c == '%';
        }

        public static string EncodeField(string value)
        {
            var sb = new StringBuilder(value.Length + 8);
            foreach (char c in value)
            {
                if (MustEscape(c)) sb.Append('%').Append(((int)c).ToString("X2"));
                else sb.Append(c);
            }
            return sb.ToString();
        }

        static int HexDigit(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }

        /// <summary>Strict: only the canonical form of EncodeField is accepted.</summary>
        public static string DecodeField(string field)
        {
            var sb = new StringBuilder(field.Length);
            for (int i = 0; i < field.Length; i++)
            {
                char c = field[i];
                if (c == '%')
                {
                    if (i + 2 >= field.Length)
                        throw new ProtocolException("bad-field", "a % is not followed by two hex digits");
                    int hi = HexDigit(field[i + 1]);
                    int lo = HexDigit(field[i + 2]);
                    if (hi < 0 || lo < 0)
                        throw new ProtocolException("bad-field", "a % is not followed by two upper-case hex digits");
                    char decoded = (char)(hi * 16 + lo);
                    if (!MustEscape(decoded))
                        throw new ProtocolException("bad-field", "an escape of a character that needs none");
                    sb.Append(decoded);
                    i += 2;
                }
                else if (MustEscape(c))
                {
                    throw new ProtocolException("bad-field", "a raw control character");
                }
                else
                {
                    sb.Append(c);
                }
            }
            return sb.ToString();
        }

        /// <summary>The decoded fields of one line (without its LF).</summary>
        public static string[] ParseLine(string line)
        {
            if (line.Length == 0) throw new ProtocolException("empty-line", "an empty line");
            string[] raw = line.Split('\t');
            var fields = new string[raw.Length];
            for (int i = 0; i < raw.Length; i++) fields[i] = DecodeField(raw[i]);
            return fields;
        }

        /// <summary>One line (without its LF) from fields.</summary>
        public static string FormatLine(params string[] fields)
        {
            var encoded = new string[fields.Length];
            for (int i = 0; i < fields.Length; i++) encoded[i] = EncodeField(fields[i]);
            return string.Join("\t", encoded);
        }

        public static bool IsAction(string value)
        {
            return Array.IndexOf(Actions, value) >= 0;
        }

        /// <summary>`state` STATUS TOOLTIP then ACTION ENABLED(0|1) LABEL per item.</summary>
        public static TrayStateSpec ParseState(string[] fields)
        {
            if (fields.Length < 3 || (fields.Length - 3) % 3 != 0)
                throw new ProtocolException("bad-arity", "state takes a status, a tooltip and items of three fields");
            int count = (fields.Length - 3) / 3;
            if (count > MaxItems) throw new ProtocolException("too-many-items", "at most " + MaxItems + " items");
            var state = new TrayStateSpec();
            state.Status = Bounded(fields[1], MaxStatusChars, "status");
            state.Tooltip = FitText(fields[2], MaxTooltipChars);
            var seen = new HashSet<string>();
            for (int i = 0; i < count; i++)
            {
                string action = fields[3 + i * 3];
                string enabled = fields[4 + i * 3];
                if (!IsAction(action)) throw new ProtocolException("unknown-action", "no such action");
                if (!seen.Add(action)) throw new ProtocolException("duplicate-action", "an action appears twice");
                if (enabled != "0" && enabled != "1")
                    throw new ProtocolException("bad-field", "enabled is 0 or 1");
                var item = new MenuItemSpec();
                item.Action = action;
                item.Enabled = enabled == "1";
                item.Label = Bounded(fields[5 + i * 3], MaxLabelChars, "label");
                state.Items.Add(item);
            }
            return state;
        }

        static string Bounded(string value, int max, string what)
        {
            if (value.Length > max) throw new ProtocolException("too-long", "the " + what + " is longer than " + max);
            return value;
        }

        /// <summary>At most max UTF-16 units, cut with an ellipsis, never inside a surrogate pair.</summary>
        public static string FitText(string value, int max)
        {
            if (value.Length <= max) return value;
            int cut = max - 1;
            if (cut > 0 && char.IsHighSurrogate(value[cut - 1])) cut--;
            return value.Substring(0, cut) + "\u2026";
        }

        /// <summary>What a menu shows: controls become spaces, '&' is not a mnemonic.</summary>
        public static string MenuText(string value)
        {
            return DisplayText(value).Replace("&", "&&");
        }

        /// <summary>Controls (C0, DEL, C1) become spaces: a label is one line.</summary>
        public static string DisplayText(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (char c in value) sb.Append(c < (char)0x20 || (c >= (char)0x7F && c <= (char)0x9F) ? ' ' : c);
            return sb.ToString();
        }
    }
}
