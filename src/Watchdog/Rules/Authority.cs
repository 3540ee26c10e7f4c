namespace Watchdog.Rules;

/// <summary>Who may let an action run, from the runbook's authority table, in rising order.</summary>
internal enum Authority : byte
{
    Automatic,
    OnCall,
    TeamLead,
    Cto,
}
