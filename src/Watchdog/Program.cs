using Watchdog.Hosting;

return await new WatchdogCli().InvokeAsync(args, Console.Out, Console.Error);
