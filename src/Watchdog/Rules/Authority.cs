namespace Watchdog.Rules;

/// <summary>Who may let an action run, from the runbook's authority table, in rising order.</summary>
public enum Authority : byte
{
    Automatic,
    OnCall,
    TeamLead,
    Cto,
}
