/** Light / dark / system theme, saved per browser; index.html applies it before first paint. */
import { Monitor, Moon, Sun } from "lucide-react";
import { useEffect, useState } from "react";

export type ThemeChoice = "light" | "dark" | "system";
const KEY = "docent-theme";

function apply(choice: ThemeChoice): void {
  const dark = choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  if (dark) document.documentElement.dataset.theme = "dark";
  else delete document.documentElement.dataset.theme;
}

export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(() => {
    try {
      const saved = localStorage.getItem(KEY);
      return saved === "light" || saved === "dark" ? saved : "system";
    } catch {
      return "system";
    }
  });
  useEffect(() => {
    apply(choice);
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      /* ignore */
    }
    if (choice !== "system") return;
    const mq = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    mq.addEventListener("change", onChange);
    return () => mq.removeEventListener("change", onChange);
  }, [choice]);
  return [choice, setChoice];
}

export function ThemeToggle() {
  const [choice, setChoice] = useTheme();
  const options: { value: ThemeChoice; label: string; icon: React.ReactNode }[] = [
    { value: "light", label: "Light theme", icon: <Sun aria-hidden="true" /> },
    { value: "dark", label: "Dark theme", icon: <Moon aria-hidden="true" /> },
    { value: "system", label: "System theme", icon: <Monitor aria-hidden="true" /> },
  ];
  return (
    <div className="theme-toggle" role="group" aria-label="Theme">
      {options.map((o) => (
        <button key={o.value} type="button" aria-label={o.label} title={o.label} aria-pressed={choice === o.value} onClick={() => setChoice(o.value)}>
          {o.icon}
        </button>
      ))}
    </div>
  );
}
