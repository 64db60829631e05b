namespace Microsoft.Extensions.DependencyInjection;

/// <summary>For wrappers that replace a registration and keep what it registered inside (the replay's audit sink,
/// the bounded log providers).</summary>
internal static class ServiceDescriptorInstances
{
    /// <summary>The instance <paramref name="descriptor"/> stands for: its instance, its factory's, or its type built.</summary>
    public static T Create<T>(IServiceProvider provider, ServiceDescriptor descriptor)
        where T : class
        => descriptor.ImplementationInstance as T
           ?? (descriptor.ImplementationFactory is { } factory
               ? (T)factory(provider)
               : (T)ActivatorUtilities.GetServiceOrCreateInstance(provider, descriptor.ImplementationType!));
}
